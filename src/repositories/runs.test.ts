import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { makeRun, makeUser } from '../testing/factories.ts';
import { listMeetings, listMeetingsAndTeacherNames } from './runs.ts';

describeEachDatabase('a run’s meetings and teachers in one query', (store) => {
  it('gives the meetings in time order with every column, and the teachers’ names in name order', async () => {
    const db = store().db;
    const zoe = await makeUser(db, ['teacher'], 'Zoë Zeeman');
    const anna = await makeUser(db, ['teacher'], 'Anna Achterberg');
    const run = await makeRun(db, { teacherId: zoe.id, meetingDays: [7, -14, 0, -7], points: 1.5 });
    await db.insertInto('run_teachers').values({ run_id: run.id, user_id: anna.id }).execute();
    // Another run's meetings and teachers stay out.
    await makeRun(db, { teacherId: (await makeUser(db, ['teacher'], 'Bert Buiten')).id });

    const { meetings, teachers } = await listMeetingsAndTeacherNames(db, run.id);
    expect(teachers).toEqual(['Anna Achterberg', 'Zoë Zeeman']);
    expect(meetings).toEqual(await listMeetings(db, run.id));
    expect(meetings.map((m) => m.starts_at.slice(0, 10))).toEqual([...run.meetings].sort((a, b) => (a.starts_at < b.starts_at ? -1 : 1)).map((m) => m.starts_at.slice(0, 10)));
    expect(meetings[0]).toEqual({ id: expect.any(String), starts_at: expect.any(String), ends_at: expect.any(String), place: 'Gent', study_points: 1.5 });
  });

  it('gives a run without teachers its meetings and no names', async () => {
    const db = store().db;
    const teacher = await makeUser(db, ['teacher']);
    const run = await makeRun(db, { teacherId: teacher.id, meetingDays: [-1, 1] });
    await db.deleteFrom('run_teachers').where('run_id', '=', run.id).execute();
    const { meetings, teachers } = await listMeetingsAndTeacherNames(db, run.id);
    expect(teachers).toEqual([]);
    expect(meetings).toHaveLength(2);
  });
});
