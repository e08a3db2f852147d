/**
 * `npm run fuzz`: hostile input on every route of the app's route table, at volume, on both databases.
 *
 * The property tests (src/security/hostile-input.test.ts) try some tens of cases per route on every
 * `npm test`. This sends FUZZ_RUNS (default 10,000) hostile requests per database, spread over every
 * route of the route table (src/testing/route-table.ts) and every kind of visitor: each request is
 * the route's own valid request with its path ids, query, form fields and body encoding made hostile
 * by the generators of src/testing/hostile.ts (injection strings, markup, control characters, huge
 * values, bad ids; fields missing, repeated or sent as files; multipart, unreadable and JSON bodies;
 * for the participants form also proof files real and fake, made-up proof keys, meetings and the
 * confirmation flags). It checks that no answer is a server error, that a redirect stays on the
 * site, and that a refused request (4xx) leaves every table and the upload folder exactly as they
 * were (failed logins excepted: counting them is the rate limit). It prints the count, the answers by
 * status and the number of refused requests that wrote anything; the exit code is 1 on any finding.
 *
 * Options (environment): FUZZ_RUNS (requests per database), FUZZ_SEED (repeat a run),
 * FUZZ_DB (sqlite, postgres or both; default both), TEST_POSTGRES_URL (the PostgreSQL server in
 * which a throw-away database is created; default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { migrateToLatest, openPostgres, openSqlite, type DatabaseKind, type Store } from '../src/db/index.ts';
import { sessionKey } from '../src/services/auth.ts';
import { encoding, field, hostileForm, hostileSegment, hostileText, mostly, sendForm, snapshotDatabase, wellFormed, type Encoding, type Field } from '../src/testing/hostile.ts';
import type { TestBrowser } from '../src/testing/http.ts';
import { createPostgresDatabase } from '../src/testing/postgres.ts';
import { EVERYONE, ROUTES, makeRouteFixture, type Fixture, type Who } from '../src/testing/route-table.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WHICH = process.env.FUZZ_DB ?? 'both';
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Stands for the enrolment's current version, known only when the request is made. */
const CURRENT = '\u0001current\u0001';

if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('FUZZ_RUNS must be a positive whole number');

interface Request {
  route: string;
  who: Who;
  path: string;
  fields: Field[] | null;
  how: Encoding;
}

const PDF = new Uint8Array([...new TextEncoder().encode('%PDF-1.4\n'), 0, 1, 2]);

/** Fields the participants form also takes, beyond the route table's harmless request. */
function saveExtras(f: Fixture & { meetingIds: string[] }): fc.Arbitrary<Field[]> {
  const id = f.enrolmentId;
  const files = fc.oneof(
    { arbitrary: fc.constant<Blob>(new File([PDF], 'attest.pdf')), weight: 3 },
    { arbitrary: fc.constantFrom<Blob>(new File(['<script>alert(1)</script>'], 'attest.pdf', { type: 'application/pdf' }), new File([], '')), weight: 1 },
  );
  return fc
    .tuple(
      field(`present.${id}`, mostly(['1'])),
      field(`status.${id}`, mostly(['', 'completed', 'failed', 'absent', 'withdrawn_invalid', 'withdrawn_valid', 'exempted', 'started'])),
      field(`proofNote.${id}`, mostly(['', 'Doktersbriefje gezien', 'ja'])),
      field(`proofFileKey.${id}`, mostly(['', '01J0000000000000000000000A.pdf'], 1)),
      fc.option(files.map((file): Field[] => [[`proofFile.${id}`, file]]), { nil: [] as Field[] }),
      fc.subarray(f.meetingIds).map((ids) => ids.map((m): Field => ['meeting', m])),
      ...['allMeetings', 'ignoreMaximum', 'confirmEarly', 'confirmOverwrites', 'back'].map((name) => fc.option(field(name, mostly(['1'])), { nil: [] as Field[], freq: 3 })),
    )
    .map((parts) => parts.flat());
}

/** Hostile variants of one route's valid request. */
function requestsFor(route: string, f: Fixture & { meetingIds: string[] }): fc.Arbitrary<Request> {
  const c = ROUTES[route]!;
  const method = route.split(' ')[0]!;
  const base = c.path(f).split('/');
  const pathArb = fc
    .tuple(
      fc.oneof({ arbitrary: fc.constant(-1), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: base.length - 1 }), weight: 1 }),
      hostileSegment,
      fc.array(fc.tuple(hostileText, hostileText), { maxLength: 2 }),
    )
    .map(([index, segment, query]) => {
      const parts = [...base];
      if (index > 0) parts[index] = segment;
      const q = new URLSearchParams(query.map(([k, v]) => [wellFormed(k), wellFormed(v)])).toString();
      return `${parts.join('/')}${q ? `?${q}` : ''}`;
    });
  const own = (c.form?.(f) ?? []).map(([name, value]) => field(name, name.startsWith('version.') ? mostly([CURRENT, '1'], 5) : mostly([value])));
  const extras = route === 'POST /teacher/runs/:runId' ? [saveExtras(f)] : [];
  const fields = method === 'GET' ? fc.constant(null) : hostileForm(...own, ...extras);
  // The participants form is mostly sent by who may use it, so that hostile values reach its rules.
  const who =
    route === 'POST /teacher/runs/:runId'
      ? fc.oneof({ arbitrary: fc.constantFrom<Who>('teacher', 'admin'), weight: 3 }, { arbitrary: fc.constantFrom(...EVERYONE), weight: 1 })
      : fc.constantFrom(...EVERYONE);
  return fc.record({ route: fc.constant(route), who, path: pathArb, fields, how: encoding });
}

/** Every file under the data folder's uploads, to see that a refusal left none behind (folders made once do not count). */
function uploads(dataDir: string): string {
  const dir = path.join(dataDir, 'uploads');
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .join('\n');
}

async function fuzz(kind: DatabaseKind): Promise<{ requests: number; byStatus: Map<number, number>; refused: number; findings: string[]; seconds: number }> {
  let store: Store;
  let drop = async () => {};
  if (kind === 'sqlite') store = openSqlite(':memory:');
  else {
    const created = await createPostgresDatabase(POSTGRES_URL);
    store = openPostgres(created.url, 4);
    drop = created.drop;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'presentia-fuzz-'));
  const started = performance.now();
  const byStatus = new Map<number, number>();
  const findings: string[] = [];
  let refused = 0;
  try {
    await migrateToLatest(store.db);
    const { fixture, browser } = await makeRouteFixture(store, { DATA_DIR: dataDir });
    const run = await store.db.selectFrom('enrolments').select('run_id').where('id', '=', fixture.enrolmentId).executeTakeFirstOrThrow();
    const meetingIds = (await store.db.selectFrom('meetings').select('id').where('run_id', '=', run.run_id!).execute()).map((m) => m.id);
    const target = { ...fixture, meetingIds };
    const routes = Object.keys(ROUTES);
    const perRoute = routes.map((route) => requestsFor(route, target));
    // Every route in turn, so each gets its share whatever the count.
    const samples = perRoute.map((arb, i) => fc.sample(arb, { numRuns: Math.ceil(RUNS / routes.length), seed: SEED + i }));
    const cached = new Map<Who, TestBrowser>();
    for (let n = 0; n < RUNS; n += 1) {
      const request = samples[n % routes.length]![Math.floor(n / routes.length)]!;
      const post = request.fields !== null;
      // A form gets a browser (and session) of its own: a logout or password change ends sessions.
      const b = post ? await browser(request.who) : (cached.get(request.who) ?? (await browser(request.who)));
      if (!post) cached.set(request.who, b);
      if (n % 50 === 0) await store.db.deleteFrom('login_attempts').execute(); // or the rate limit answers everything
      let fields = request.fields;
      if (fields?.some(([, v]) => v === CURRENT)) {
        const { version } = await store.db.selectFrom('enrolments').select('version').where('id', '=', fixture.enrolmentId).executeTakeFirstOrThrow();
        fields = fields.map(([k, v]): Field => [k, v === CURRENT ? String(version) : v]);
      }
      const before = await snapshotDatabase(store.db, { ignore: ['login_attempts'] });
      const filesBefore = uploads(dataDir);
      const response = post ? await sendForm(b, request.path, fields!, request.how) : await b.get(request.path);
      await response.arrayBuffer();
      byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
      const label = `${request.who} ${request.route} → ${request.path.slice(0, 120)} (${request.how}) ${response.status}`;
      if (response.status >= 500) findings.push(`server error: ${label}`);
      const location = response.headers.get('location');
      if (location !== null && !/^\/(?![/\\])[\x21-\x7e]*$/.test(location)) findings.push(`redirect off the site (${location}): ${label}`);
      if (response.status >= 400) {
        refused += 1;
        const after = await snapshotDatabase(store.db, { ignore: ['login_attempts'] });
        if (after !== before) findings.push(`a refused request changed the database: ${label}`);
        if (uploads(dataDir) !== filesBefore) findings.push(`a refused request left files: ${label}`);
      }
      if (post) {
        const token = b.cookie('presentia_session');
        if (token) await store.db.deleteFrom('sessions').where('id', '=', sessionKey(token)).execute();
        cached.delete(request.who);
      }
      if ((n + 1) % 1000 === 0) process.stdout.write(`  [${kind}] ${n + 1} of ${RUNS}…\n`);
    }
  } finally {
    await store.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { requests: RUNS, byStatus, refused, findings, seconds: Math.round((performance.now() - started) / 1000) };
}

const kinds: DatabaseKind[] = WHICH === 'both' ? ['sqlite', 'postgres'] : [WHICH as DatabaseKind];
console.log(`Fuzzing ${RUNS.toLocaleString('en')} hostile requests per database over ${Object.keys(ROUTES).length} routes (FUZZ_SEED=${SEED})`);
let total = 0;
let serverErrors = 0;
let wrote = 0;
const allFindings: string[] = [];
for (const kind of kinds) {
  const result = await fuzz(kind);
  total += result.requests;
  const statuses = [...result.byStatus].sort(([a], [b]) => a - b);
  const errors = statuses.filter(([s]) => s >= 500).reduce((sum, [, n]) => sum + n, 0);
  const writes = result.findings.filter((f) => f.startsWith('a refused request')).length;
  serverErrors += errors;
  wrote += writes;
  allFindings.push(...result.findings.map((f) => `[${kind}] ${f}`));
  console.log(
    `[${kind}] ${result.requests.toLocaleString('en')} requests in ${result.seconds} s; answers: ${statuses.map(([s, n]) => `${s} ×${n.toLocaleString('en')}`).join(', ')}; ` +
      `${errors} × 5xx; ${result.refused.toLocaleString('en')} refused (4xx), of which ${writes} wrote anything`,
  );
}
console.log(`Total: ${total.toLocaleString('en')} hostile requests, ${serverErrors} server errors, ${wrote} refused requests that wrote anything.`);
if (allFindings.length > 0) {
  console.error(`\nFindings (first 50 of ${allFindings.length}):\n  ${allFindings.slice(0, 50).join('\n  ')}`);
  process.exitCode = 1;
}
