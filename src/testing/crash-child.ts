/**
 * The process the crash trial kills (src/services/crash.test.ts). It opens the store named by its
 * arguments, builds one large save for the run (every participant, every meeting), reports on
 * stdout how far it got, and runs the save exactly as the teacher's form would.
 *
 *   node --import tsx src/testing/crash-child.ts '{"dataDir":"…"|"databaseUrl":"…","runId":"…","teacherId":"…","sqliteCacheKiB":512}'
 *
 * Lines written (stdout to a pipe is synchronous on Linux, so a line is out before the next step):
 *   ready             store open, input built
 *   saving            registerAttendance is called now
 *   writing <n>       the n-th write statement of the save is about to run (inside the transaction;
 *                     with `stallAtWrite` n, it runs `stallMs` later)
 *   saved <ms>        the save committed, after <ms> milliseconds (the store closes `holdMs` later)
 */
import { sql, type KyselyPlugin } from 'kysely';
import { openStore } from '../db/index.ts';
import { listMeetings } from '../repositories/runs.ts';
import { registerAttendance, type RowInput } from '../services/register-attendance.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  dataDir?: string;
  databaseUrl?: string;
  runId: string;
  teacherId: string;
  /** SQLite page cache in KiB: small enough, the open transaction spills pages into the WAL before it commits. */
  sqliteCacheKiB?: number;
  /** Milliseconds to wait after the commit before closing (a kill then finds the save only in the WAL). */
  holdMs?: number;
  /** Before its n-th write statement the save stands still for `stallMs`, its transaction open, so another process can act meanwhile. */
  stallAtWrite?: number;
  stallMs?: number;
};
const store = openStore({ databaseUrl: args.databaseUrl, dataDir: args.dataDir ?? '', poolSize: 2 });
if (store.kind === 'sqlite' && args.sqliteCacheKiB) await sql.raw(`pragma cache_size = -${Math.floor(args.sqliteCacheKiB)}`).execute(store.db);

const enrolments = await store.db.selectFrom('enrolments').select(['id', 'version']).where('run_id', '=', args.runId).orderBy('id').execute();
const meetings = await listMeetings(store.db, args.runId);
const rows: RowInput[] = enrolments.map((e, i) => ({
  enrolmentId: e.id,
  version: e.version,
  present: i % 4 !== 0,
  status: i < 100 ? (i < 50 ? 'completed' : 'failed') : null,
  effort: i % 3 === 0 ? 'good' : null,
  effortComment: '',
  proofNote: '',
  proofFile: null,
}));

let writes = 0;
const progress: KyselyPlugin = {
  transformQuery: (q) => {
    const kind = q.node.kind;
    if (kind === 'InsertQueryNode' || kind === 'UpdateQueryNode') {
      process.stdout.write(`writing ${++writes}\n`);
      // A plugin cannot wait asynchronously; the whole process stands still, as a slow write would.
      if (writes === args.stallAtWrite) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, args.stallMs ?? 0);
    }
    return q.node;
  },
  transformResult: async (r) => r.result,
};

process.stdout.write(`ready ${enrolments.length}x${meetings.length}\n`);
const started = performance.now();
process.stdout.write('saving\n');
const outcome = await registerAttendance(store.db.withPlugin(progress), { id: args.teacherId, roles: ['teacher'], source: 'teacher_form' }, {
  runId: args.runId,
  meetingIds: [],
  allMeetings: true,
  ignoreMaximum: false,
  confirmEarlyCompletion: true,
  confirmOverwrites: true,
  rows,
});
if (outcome.kind !== 'saved') throw new Error(`not saved: ${JSON.stringify(outcome)}`);
process.stdout.write(`saved ${Math.round(performance.now() - started)}\n`);
if (args.holdMs) await new Promise((r) => setTimeout(r, args.holdMs));
await store.close();
