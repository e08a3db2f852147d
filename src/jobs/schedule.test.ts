import os from 'node:os';
import pino from 'pino';
import { expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { addDays, brusselsDate } from '../domain/dates.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../testing/factories.ts';
import { scheduleJobs } from './schedule.ts';

it('reads SWEEP_SCHEDULE as a cron pattern or off, and refuses anything else by name', () => {
  expect(loadConfig({}).SWEEP_SCHEDULE).toBe('15 2 * * *');
  expect(loadConfig({ SWEEP_SCHEDULE: 'off' }).SWEEP_SCHEDULE).toBe('off');
  expect(loadConfig({ SWEEP_SCHEDULE: '0 3 * * 1-5' }).SWEEP_SCHEDULE).toBe('0 3 * * 1-5');
  expect(() => loadConfig({ SWEEP_SCHEDULE: 'every night' })).toThrow(/SWEEP_SCHEDULE must be a cron pattern/);
});

describeEachDatabase('scheduled study-term sweep', (store) => {
  it('runs the sweep when its schedule comes round', async () => {
    const db = store().db;
    const teacher = await makeUser(db, ['teacher']);
    const run = await makeRun(db, { teacherId: teacher.id });
    const e = await enrol(db, run, (await makeUser(db)).id);
    await db.updateTable('enrolments').set({ term_ends_on: addDays(brusselsDate(new Date()), -1) }).where('id', '=', e.id).execute();
    const stop = scheduleJobs(store(), os.tmpdir(), pino({ level: 'silent' }), '* * * * * *'); // every second
    try {
      const deadline = Date.now() + 10_000;
      let status = 'enrolled';
      while (status !== 'term_expired' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = (await db.selectFrom('enrolments').select('status').where('id', '=', e.id).executeTakeFirstOrThrow()).status;
      }
      expect(status).toBe('term_expired');
    } finally {
      stop();
    }
  });
});
