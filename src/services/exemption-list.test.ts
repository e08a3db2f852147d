import { expect, it } from 'vitest';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeRun, makeUser } from '../testing/factories.ts';
import { ExemptionListRefused, importExemptionList, previewExemptionList } from './exemption-list.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describeEachDatabase('exemption lists', (store) => {
  async function scene() {
    const db = store().db;
    const admin = actorOf(await makeUser(db, ['admin']));
    const teacher = await makeUser(db, ['teacher']);
    const run = await makeRun(db, { teacherId: teacher.id });
    const person = async (status: Parameters<typeof enrol>[3] extends infer O ? O : never, personnel?: string) => {
      const user = await makeUser(db);
      const email = (await db.selectFrom('users').select('email').where('id', '=', user.id).executeTakeFirstOrThrow()).email;
      if (personnel) await db.updateTable('users').set({ personnel_number: personnel }).where('id', '=', user.id).execute();
      const e = status ? await enrol(db, run, user.id, status) : null;
      return { ...user, email, enrolmentId: e?.id ?? null };
    };
    const suffix = run.id.slice(-6);
    const byEmail = await person({ status: 'enrolled' });
    const byNumber = await person({ status: 'started' }, `P-${suffix}-1`);
    const exempted = await person({ status: 'exempted' });
    const completed = await person({ status: 'completed' });
    const notEnrolled = await person(undefined, `P-${suffix}-2`);
    return { admin, teacher, run, byEmail, byNumber, exempted, completed, notEnrolled, suffix };
  }

  it('previews each line as applied, skipped or refused with the reason, and writes nothing', async () => {
    const s = await scene();
    const list = utf8(
      `\uFEFFe-mail;naam\n${s.byEmail.email.toUpperCase()};An\nP-${s.suffix}-1;Bert\n${s.byEmail.email}\n${s.exempted.email}\n${s.completed.email}\nP-${s.suffix}-2\nniemand@example.test\n`,
    );
    const preview = await previewExemptionList(store().db, s.admin, s.run.courseId, list);
    expect(preview.lines.map((l) => [l.line, l.outcome, 'reason' in l ? l.reason : null])).toEqual([
      [2, 'applied', null],
      [3, 'applied', null],
      [4, 'skipped', 'duplicate'],
      [5, 'skipped', 'already_exempted'],
      [6, 'refused', 'final_status'],
      [7, 'refused', 'not_enrolled'],
      [8, 'refused', 'unknown_person'],
    ]);
    expect(preview.counts).toEqual({ applied: 2, skipped: 2, refused: 3 });
    const rows = await store().db.selectFrom('enrolments').select('status').where('id', 'in', [s.byEmail.enrolmentId!, s.byNumber.enrolmentId!]).execute();
    expect(rows.map((r) => r.status).sort()).toEqual(['enrolled', 'started']);
  });

  it('imports the list in one transaction: the applied lines become Vrijgesteld with the ground in their history; comma-separated lists too', async () => {
    const s = await scene();
    const list = utf8(`personeelsnummer,opmerking\nP-${s.suffix}-1,"Vrijgesteld, attest"\n${s.byEmail.email},\n${s.completed.email}\n`);
    const result = await importExemptionList(store().db, s.admin, s.run.courseId, list, 'Basislijst EHBO 2026');
    expect(result.counts).toEqual({ applied: 2, skipped: 0, refused: 1 });
    const rows = await store()
      .db.selectFrom('enrolments')
      .select(['id', 'status', 'exemption_reason'])
      .where('id', 'in', [s.byEmail.enrolmentId!, s.byNumber.enrolmentId!, s.completed.enrolmentId!])
      .execute();
    expect(new Map(rows.map((r) => [r.id, [r.status, r.exemption_reason]]))).toEqual(
      new Map([
        [s.byEmail.enrolmentId!, ['exempted', 'Basislijst EHBO 2026']],
        [s.byNumber.enrolmentId!, ['exempted', 'Basislijst EHBO 2026']],
        [s.completed.enrolmentId!, ['completed', null]],
      ]),
    );
    const history = await store()
      .db.selectFrom('history')
      .select(['enrolment_id', 'source', 'old_value', 'new_value', 'note'])
      .where('enrolment_id', 'in', [s.byEmail.enrolmentId!, s.byNumber.enrolmentId!])
      .execute();
    expect(history).toHaveLength(2);
    expect(history.every((h) => h.source === 'admin' && h.new_value === 'exempted' && h.note === 'Basislijst EHBO 2026')).toBe(true);
  });

  it('refuses a list that is not UTF-8, an empty list, a missing ground, and anyone but an administrator', async () => {
    const s = await scene();
    const refusals = async (p: Promise<unknown>) =>
      p.then(
        () => expect.unreachable('accepted'),
        (e: unknown) => {
          expect(e).toBeInstanceOf(ExemptionListRefused);
          return (e as ExemptionListRefused).refusals;
        },
      );
    expect(await refusals(previewExemptionList(store().db, s.admin, s.run.courseId, new Uint8Array([0x61, 0xff, 0xfe, 0x0a])))).toEqual(['list_not_utf8']);
    expect(await refusals(previewExemptionList(store().db, s.admin, s.run.courseId, new Uint8Array()))).toEqual(['list_required']);
    expect(await refusals(importExemptionList(store().db, s.admin, s.run.courseId, utf8(`${s.byEmail.email}\n`), ' '))).toEqual(['reason_required']);
    const teacher = actorOf(s.teacher);
    await expect(previewExemptionList(store().db, teacher, s.run.courseId, utf8(`${s.byEmail.email}\n`))).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    await expect(importExemptionList(store().db, teacher, s.run.courseId, utf8(`${s.byEmail.email}\n`), 'Lijst')).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    const row = await store().db.selectFrom('enrolments').select('status').where('id', '=', s.byEmail.enrolmentId!).executeTakeFirstOrThrow();
    expect(row.status).toBe('enrolled');
  });
});
