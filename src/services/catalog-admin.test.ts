import { expect, it } from 'vitest';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, makeCourse, makeUser } from '../testing/factories.ts';
import { createCourse, createProgramme, findCourses, getCourseForAdmin, getProgrammeForAdmin, updateCourse, updateProgramme } from './catalog-admin.ts';

const course = (over: Record<string, string> = {}) => ({
  title: 'Eerste hulp op de werkvloer',
  code: 'ehbo-basis',
  kind: 'classroom',
  description: 'Reanimatie en wondzorg',
  maxStudyPoints: '3,5',
  studyTermDays: '',
  studyTermEndsOn: '2027-06-30',
  knowledgeCentreUrl: '/kenniscentrum/ehbo',
  elearningUrl: '',
  ...over,
});

describeEachDatabase('catalogue administration: courses and programmes', (store) => {
  const db = () => store().db;

  it('creates a course with every field and records it in the history with the administrator as actor', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const saved = await createCourse(db(), admin, course());
    expect(saved.ok).toBe(true);
    const id = (saved as { id: string }).id;
    const row = await db().selectFrom('courses').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      code: 'EHBO-BASIS',
      title: 'Eerste hulp op de werkvloer',
      kind: 'classroom',
      description: 'Reanimatie en wondzorg',
      max_study_points: 3.5,
      study_term_days: null,
      study_term_ends_on: '2027-06-30',
      knowledge_centre_url: '/kenniscentrum/ehbo',
      elearning_url: null,
      version: 1,
    });
    const history = await db().selectFrom('history').selectAll().where('note', '=', `course:${id}`).execute();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ actor_id: admin.id, source: 'admin', field: 'course', user_id: admin.id, old_value: null });
    expect(JSON.parse(history[0]!.new_value!)).toMatchObject({ code: 'EHBO-BASIS', max_study_points: 3.5 });
  });

  it('refuses a taken code or bad values with a reason per field, writing nothing', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    await createCourse(db(), admin, course({ code: 'TAKEN-1' }));
    const before = await db().selectFrom('history').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const refused = await createCourse(db(), admin, course({ code: 'taken-1', maxStudyPoints: 'veel', studyTermDays: '30' }));
    expect(refused).toEqual({
      ok: false,
      errors: { code: { reason: 'code_taken' }, maxStudyPoints: { reason: 'points', detail: '1000' }, studyTermEndsOn: { reason: 'term_both' } },
    });
    expect(await db().selectFrom('courses').select('id').where('code', '=', 'TAKEN-1').execute()).toHaveLength(1);
    const after = await db().selectFrom('history').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('edits a course, recording only what changed; keeps its own code; refuses another course’s code', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const a = (await createCourse(db(), admin, course({ code: 'EDIT-A' }))) as { id: string };
    await createCourse(db(), admin, course({ code: 'EDIT-B' }));
    expect(await updateCourse(db(), admin, a.id, course({ code: 'EDIT-A', title: 'Eerste hulp, herhaling', kind: 'exam' }))).toEqual({ ok: true, id: a.id });
    const history = await db().selectFrom('history').select(['old_value', 'new_value']).where('note', '=', `course:${a.id}`).orderBy('id').execute();
    expect(history).toHaveLength(2);
    expect(JSON.parse(history[1]!.old_value!)).toEqual({ title: 'Eerste hulp op de werkvloer', kind: 'classroom' });
    expect(JSON.parse(history[1]!.new_value!)).toEqual({ title: 'Eerste hulp, herhaling', kind: 'exam' });
    // Saving unchanged values writes no history.
    await updateCourse(db(), admin, a.id, course({ code: 'EDIT-A', title: 'Eerste hulp, herhaling', kind: 'exam' }));
    expect(await db().selectFrom('history').select('id').where('note', '=', `course:${a.id}`).execute()).toHaveLength(2);
    expect(await updateCourse(db(), admin, a.id, course({ code: 'EDIT-B' }))).toEqual({ ok: false, errors: { code: { reason: 'code_taken' } } });
  });

  it('finds courses by code prefix or title, in title order, a keyset page at a time', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    for (let i = 0; i < 55; i += 1) await createCourse(db(), admin, course({ code: `ZOEK-${String(i).padStart(2, '0')}`, title: `Zoekcursus ${String(i).padStart(2, '0')} 100%` }));
    const first = await findCourses(db(), admin, { query: 'zoek', page: {} });
    expect(first.page.rows).toHaveLength(50);
    expect(first.page.rows[0]!.title).toBe('Zoekcursus 00 100%');
    const second = await findCourses(db(), admin, { query: 'ZOEK', page: { after: JSON.parse(Buffer.from(first.page.next!, 'base64url').toString()) } });
    expect(second.page.rows.map((r) => r.code)).toEqual(['ZOEK-50', 'ZOEK-51', 'ZOEK-52', 'ZOEK-53', 'ZOEK-54']);
    expect(second.page.next).toBeNull();
    // The search text matches literally: "%" is not a wildcard.
    expect((await findCourses(db(), admin, { query: '0 100%', page: {} })).page.rows.map((r) => r.code)).toEqual(['ZOEK-00', 'ZOEK-10', 'ZOEK-20', 'ZOEK-30', 'ZOEK-40', 'ZOEK-50']);
    expect((await findCourses(db(), admin, { query: '%%', page: {} })).page.rows).toHaveLength(0);
  });

  it('creates and edits a programme as an ordered set of courses with its own study term', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    await createCourse(db(), admin, course({ code: 'PRG-A' }));
    await createCourse(db(), admin, course({ code: 'PRG-B' }));
    await createCourse(db(), admin, course({ code: 'PRG-C' }));
    const saved = (await createProgramme(db(), admin, { title: 'Traject preventie', studyTermDays: '365', courses: 'prg-b\nPRG-A' })) as { id: string };
    let programme = await getProgrammeForAdmin(db(), admin, saved.id);
    expect(programme).toMatchObject({ title: 'Traject preventie', study_term_days: 365, study_term_ends_on: null });
    expect(programme.courses.map((c) => [c.code, c.position])).toEqual([['PRG-B', 1], ['PRG-A', 2]]);
    expect(await updateProgramme(db(), admin, saved.id, { title: 'Traject preventie', studyTermEndsOn: '2027-12-31', courses: 'PRG-A, PRG-C, PRG-B' })).toEqual({ ok: true, id: saved.id });
    programme = await getProgrammeForAdmin(db(), admin, saved.id);
    expect(programme.courses.map((c) => c.code)).toEqual(['PRG-A', 'PRG-C', 'PRG-B']);
    expect(programme.study_term_ends_on).toBe('2027-12-31');
    expect(await updateProgramme(db(), admin, saved.id, { title: 'X', courses: 'PRG-A\nNOPE-1' })).toEqual({ ok: false, errors: { courses: { reason: 'unknown_courses', detail: 'NOPE-1' } } });
    expect((await getProgrammeForAdmin(db(), admin, saved.id)).title).toBe('Traject preventie');
    const history = await db().selectFrom('history').select(['field', 'actor_id']).where('note', '=', `programme:${saved.id}`).execute();
    expect(history).toEqual([
      { field: 'programme', actor_id: admin.id },
      { field: 'programme', actor_id: admin.id },
    ]);
  });

  it('lets only administrators in', async () => {
    const { id: courseId } = await makeCourse(db());
    for (const roles of [['teacher'], ['participant']] as const) {
      const someone = actorOf(await makeUser(db(), [...roles]));
      await expect(createCourse(db(), someone, course({ code: 'NOPE-9' }))).rejects.toThrow(NotFoundOrNoAccess);
      await expect(updateCourse(db(), someone, courseId, course({ code: 'NOPE-9' }))).rejects.toThrow(NotFoundOrNoAccess);
      await expect(getCourseForAdmin(db(), someone, courseId)).rejects.toThrow(NotFoundOrNoAccess);
      await expect(findCourses(db(), someone, { query: '', page: {} })).rejects.toThrow(NotFoundOrNoAccess);
      await expect(createProgramme(db(), someone, { title: 'x', courses: 'x' })).rejects.toThrow(NotFoundOrNoAccess);
    }
    expect(await db().selectFrom('courses').select('id').where('code', '=', 'NOPE-9').execute()).toEqual([]);
  });
});
