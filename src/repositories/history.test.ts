import { expect, it } from 'vitest';
import { newId } from '../db/index.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../testing/factories.ts';
import { appendHistory, enrolmentHistory, listLastStatusChanges } from './history.ts';

describeEachDatabase('the latest status change of each enrolment', (store, kind) => {
  it('is the newest status row of each enrolment, whatever was written after it in other fields, and none for an enrolment without one', async () => {
    const db = store().db;
    const teacher = await makeUser(db, ['teacher']);
    const admin = await makeUser(db, ['admin']);
    const run = await makeRun(db, { teacherId: teacher.id });
    const [a, b, c] = await Promise.all([makeUser(db), makeUser(db), makeUser(db)]);
    const enrolment = async (userId: string) => ({ id: (await enrol(db, run, userId)).id, user_id: userId, run_id: run.id });
    const ea = await enrolment(a!.id);
    const eb = await enrolment(b!.id);
    const ec = await enrolment(c!.id);
    const byTeacher = { id: teacher.id, source: 'teacher_form' as const };
    const byAdmin = { id: admin.id, source: 'admin' as const };
    // Written in one batch, newest first, so that the order of the rows is not the order of their ids.
    const older = enrolmentHistory(byTeacher, '2026-11-01T10:00:00.000Z', ea, { field: 'status', old_value: 'enrolled', new_value: 'completed' });
    const newer = enrolmentHistory(byAdmin, '2026-11-02T10:00:00.000Z', ea, { field: 'status', old_value: 'completed', new_value: 'failed' });
    await appendHistory(db, [
      { ...enrolmentHistory(byTeacher, '2026-11-03T10:00:00.000Z', ea, { field: 'effort', old_value: null, new_value: 'good' }), id: newId() },
      newer,
      older,
      enrolmentHistory(byTeacher, '2026-11-01T10:00:00.000Z', eb, { field: 'status', old_value: 'enrolled', new_value: 'absent' }),
      enrolmentHistory(byTeacher, '2026-11-01T10:00:00.000Z', ec, { field: 'effort', old_value: null, new_value: 'good' }),
    ]);
    expect(newer.id! > older.id!).toBe(true);

    const latest = await listLastStatusChanges(db, [ea.id, eb.id, ec.id]);
    expect(latest.get(ea.id)).toMatchObject({ actorId: admin.id, from: 'completed' });
    expect(latest.get(eb.id)).toMatchObject({ actorId: teacher.id, from: 'enrolled' });
    expect(latest.has(ec.id)).toBe(false);
  });

  it('writes each row into the table of its source, and a status the system set later is the latest', async () => {
    const db = store().db;
    const teacher = await makeUser(db, ['teacher']);
    const run = await makeRun(db, { teacherId: teacher.id });
    const person = await makeUser(db);
    const e = { id: (await enrol(db, run, person.id)).id, user_id: person.id, run_id: run.id };
    const byTeacher = enrolmentHistory({ id: teacher.id, source: 'teacher_form' }, '2026-11-01T10:00:00.000Z', e, { field: 'status', old_value: 'enrolled', new_value: 'started' });
    const bySystem = { ...enrolmentHistory({ id: teacher.id, source: 'system' }, '2026-11-02T10:00:00.000Z', e, { field: 'status', old_value: 'started', new_value: 'term_expired' }), actor_id: null };
    await appendHistory(db, [byTeacher, bySystem]);

    expect(await db.selectFrom('history_main').select('id').where('enrolment_id', '=', e.id).execute()).toEqual([{ id: byTeacher.id }]);
    expect(await db.selectFrom('history_system').select('id').where('enrolment_id', '=', e.id).execute()).toEqual([{ id: bySystem.id }]);
    expect((await listLastStatusChanges(db, [e.id])).get(e.id)).toEqual({ id: bySystem.id, actorId: null, from: 'started' });
  });

  if (kind === 'sqlite') {
    it('reads the given enrolments’ status rows through (enrolment_id, field, id), not every status change through (field, id)', async () => {
      // The statement the function runs, caught on its way to SQLite, then explained.
      const sqlite = store().sqlite!;
      const prepare = sqlite.prepare.bind(sqlite);
      const statements: string[] = [];
      sqlite.prepare = ((source: string) => (statements.push(source), prepare(source))) as typeof sqlite.prepare;
      try {
        await listLastStatusChanges(store().db, ['x', 'y']);
      } finally {
        sqlite.prepare = prepare;
      }
      const statement = statements.find((s) => s.includes('"history"'))!;
      const plan = sqlite.prepare(`explain query plan ${statement}`).all('status', 'x', 'y') as { detail: string }[];
      expect(plan.map((r) => r.detail).join('\n')).toContain('history_enrolment_field_idx (enrolment_id=? AND field=?)');
      expect(plan.map((r) => r.detail).join('\n')).toContain('history_system_enrolment_field_idx (enrolment_id=? AND field=?)');
    });
  }
});
