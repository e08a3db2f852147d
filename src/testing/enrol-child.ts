/**
 * One administrator's enrolment, in its own process, for the capacity trial under real concurrency
 * (src/services/admin-enrolments.test.ts): opens the store named by its argument, waits until the
 * agreed moment, enrols the given people in the run and prints the outcome as one JSON line.
 *
 *   node --import tsx src/testing/enrol-child.ts '{"dataDir":"…"|"databaseUrl":"…","runId":"…","adminId":"…","userIds":["…"],"startAt":1700000000000}'
 */
import { openStore } from '../db/index.ts';
import { enrolInRun } from '../services/admin-enrolments.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as { dataDir?: string; databaseUrl?: string; runId: string; adminId: string; userIds: string[]; startAt: number };
const store = openStore({ databaseUrl: args.databaseUrl, dataDir: args.dataDir ?? '', poolSize: 2 });
await store.db.selectFrom('runs').select('id').limit(1).execute(); // connection open before the start
await new Promise((resolve) => setTimeout(resolve, Math.max(0, args.startAt - Date.now())));
const outcome = await enrolInRun(store.db, { id: args.adminId, roles: ['admin'], source: 'admin' }, args.runId, args.userIds);
process.stdout.write(`${JSON.stringify(outcome.placements)}\n`);
await store.close();
