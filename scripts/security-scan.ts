/**
 * `npm run security:scan` — an SQL-injection scan of Presentia with Debian's sqlmap.
 *
 * Starts Presentia on a loopback port over a throw-away SQLite database with demo data, signs in as
 * the demo teacher and administrator, and lets sqlmap attack (in batch mode, with bounded level,
 * risk and time) the login form, the administrators' user search and the teacher's participants
 * form. Any sign of an injection, any server error while scanning, or a target that could not be
 * scanned to the end makes the exit code non-zero. The server always stops and the temporary data
 * is removed (kept, with sqlmap's output, only when something was found, for inspection).
 *
 * Not part of `npm test`: it takes minutes and needs sqlmap (`apt-get install -y sqlmap`).
 * Options (environment): SCAN_LEVEL (1–5, default 3), SCAN_RISK (1–3, default 2),
 * SCAN_TARGET_SECONDS (default 900), SCAN_ONLY (comma-separated target names), SCAN_KEEP=1 (keep the
 * temporary folder with sqlmap's full output even when the scan passes), SCAN_SQLMAP_ARGS (more
 * sqlmap options, separated by spaces, e.g. "-v 3").
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { createApp } from '../src/app.tsx';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest, openSqlite } from '../src/db/index.ts';
import { ADMIN_EMAIL, DEMO_PASSWORD, prepareScanData, snapshotRun, TEACHER_EMAIL } from './security-scan/fixture.ts';
import { scan, sqlmapVersion, stopRunning, type ScanTarget, type TargetResult } from './security-scan/sqlmap.ts';

const HOST = '127.0.0.1';

function bounded(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`${name} must be a whole number from ${min} to ${max}.`);
    process.exit(2);
  }
  return value;
}

const limits = {
  level: bounded('SCAN_LEVEL', 3, 1, 5),
  risk: bounded('SCAN_RISK', 2, 1, 3),
  timeoutSeconds: bounded('SCAN_TARGET_SECONDS', 900, 30, 3600),
};

const version = sqlmapVersion();
if (!version) {
  console.error(
    [
      'sqlmap is not installed (or not on the PATH).',
      'Install it from the distribution, for example on Debian or Ubuntu:',
      '  sudo apt-get install -y sqlmap',
      'then run `npm run security:scan` again.',
    ].join('\n'),
  );
  process.exit(2);
}

const workDir = mkdtempSync(path.join(os.tmpdir(), 'presentia-security-scan-'));
const dataDir = path.join(workDir, 'data');
const store = openSqlite(path.join(dataDir, 'presentia.db'));
const config = loadConfig({ DATA_DIR: dataDir, HOST, SEED_DEMO: 'false', LOG_LEVEL: 'warn' });
const logger = pino({ level: 'warn' }, pino.destination({ dest: path.join(workDir, 'server.log'), sync: true }));

let server: ReturnType<typeof serve> | undefined;
let stopped = false;

/** Stops sqlmap, the server and the database; removes the temporary folder unless told to keep it. */
async function stopEverything(keep: boolean): Promise<void> {
  if (stopped) return;
  stopped = true;
  stopRunning();
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  await store.close().catch(() => undefined);
  if (!keep) rmSync(workDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the scan and the server.`);
    void stopEverything(false).then(() => process.exit(130));
  });
}

/** The value of each cookie a response sets. */
function cookiesOf(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const i = pair.indexOf('=');
    cookies.set(pair.slice(0, i), pair.slice(i + 1));
  }
  return cookies;
}

/** An anonymous browser's CSRF token (the double-submit cookie and the field carry the same value). */
async function anonymousCsrf(base: string): Promise<string> {
  const token = cookiesOf(await fetch(`${base}/login`)).get('presentia_csrf');
  if (!token) throw new Error('the login page set no CSRF cookie');
  return token;
}

/** Signs in through the login form, like a browser; returns the session and the CSRF token it now holds. */
async function signIn(base: string, email: string): Promise<{ session: string; csrf: string }> {
  const csrf = await anonymousCsrf(base);
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `presentia_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: csrf, email, password: DEMO_PASSWORD }),
  });
  const cookies = cookiesOf(response);
  const session = cookies.get('presentia_session');
  if (response.status !== 303 || !session) throw new Error(`signing in as ${email} failed (HTTP ${response.status})`);
  return { session, csrf: cookies.get('presentia_csrf') ?? csrf };
}

const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();

async function main(): Promise<number> {
  console.log(`Presentia security scan with sqlmap ${version} (level ${limits.level}, risk ${limits.risk}, at most ${limits.timeoutSeconds} s per target)`);
  await migrateToLatest(store.db);
  const scanRun = await prepareScanData(store.db);
  const restoreRun = await snapshotRun(store.db, scanRun.runId);
  const formPath = `/teacher/runs/${scanRun.runId}`;

  const app = createApp({ store, config, logger });
  const serverErrors: string[] = [];
  let requests = 0;
  // Answers per status while one target is scanned: a target whose requests mostly bounce off the
  // CSRF check, the access check or a lost session never reached its queries and proves nothing.
  let answers = new Map<string, number>();
  // Each scanned request starts from the same state: failed logins are forgotten (else the rate
  // limit answers 429 to everything after a few) and the scanned run is put back as it was.
  const fetchForScan = async (request: Request): Promise<Response> => {
    requests += 1;
    const response = await app.fetch(request);
    const { pathname } = new URL(request.url);
    if (response.status >= 500) serverErrors.push(`${request.method} ${pathname} → ${response.status}`);
    const toLogin = response.status === 303 && (response.headers.get('location') ?? '').startsWith('/login?next=');
    const key = toLogin ? 'to-login' : String(response.status);
    answers.set(key, (answers.get(key) ?? 0) + 1);
    if (request.method === 'POST' && pathname === '/login') await store.db.deleteFrom('login_attempts').execute();
    if (request.method === 'POST' && pathname === formPath) await restoreRun();
    return response;
  };

  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: fetchForScan, hostname: HOST, port: 0 }, (info: AddressInfo) => resolve(info.port));
  });
  const base = `http://${HOST}:${port}`;
  console.log(`Server on ${base} (SQLite in ${dataDir})`);

  const teacher = await signIn(base, TEACHER_EMAIL);
  const admin = await signIn(base, ADMIN_EMAIL);
  const anonymous = await anonymousCsrf(base);
  const e = scanRun.enrolmentId;

  const targets: ScanTarget[] = [
    {
      name: 'login',
      url: `${base}/login`,
      data: form([
        ['_csrf', anonymous],
        // An existing account with a wrong password: the e-mail then matches a row, so that sqlmap's
        // AND-payloads are evaluated and its time-based tests can tell (rate limit reset per request).
        ['email', TEACHER_EMAIL],
        ['password', 'not-the-password'],
      ]),
      cookie: `presentia_csrf=${anonymous}`,
      parameters: ['email', 'password'],
      ignoreCodes: [401],
    },
    {
      name: 'user-search',
      url: `${base}/admin/users?q=docent&page=0`,
      cookie: `presentia_session=${admin.session}; presentia_csrf=${admin.csrf}`,
      parameters: ['q', 'page'],
    },
    {
      name: 'participants-form',
      url: `${base}${formPath}`,
      data: form([
        ['_csrf', teacher.csrf],
        ['row', e],
        [`version.${e}`, String(scanRun.version)],
        [`status.${e}`, ''],
        [`effort.${e}`, 'good'],
        [`comment.${e}`, 'Goed meegewerkt'],
      ]),
      cookie: `presentia_session=${teacher.session}; presentia_csrf=${teacher.csrf}`,
      parameters: ['row', `version.${e}`, `status.${e}`, `effort.${e}`, `comment.${e}`],
    },
  ];
  const only = process.env.SCAN_ONLY?.split(',').map((s) => s.trim());
  const chosen = only ? targets.filter((t) => only.includes(t.name)) : targets;
  if (chosen.length === 0) {
    console.error(`SCAN_ONLY names no target; the targets are ${targets.map((t) => t.name).join(', ')}.`);
    return 2;
  }

  const results: TargetResult[] = [];
  for (const target of chosen) {
    console.log(`\n→ ${target.name}: ${target.data ? 'POST' : 'GET'} ${new URL(target.url).pathname} [${target.parameters.join(', ')}]`);
    const before = requests;
    answers = new Map();
    const result = await scan(target, limits, path.join(workDir, 'sqlmap'));
    writeFileSync(path.join(workDir, `sqlmap-${target.name}.log`), result.output);
    const served = requests - before;
    const bounced = (answers.get('403') ?? 0) + (answers.get('404') ?? 0) + (answers.get('to-login') ?? 0);
    if (result.verdict === 'clean' && (served === 0 || bounced * 2 >= served)) {
      result.verdict = 'inconclusive';
      result.evidence = [`${bounced} of ${served} requests were refused (CSRF, access or session) before reaching the target`];
    }
    results.push(result);
    const histogram = [...answers].sort().map(([k, n]) => `${k}×${n}`).join(', ');
    console.log(`  ${result.verdict} after ${result.seconds} s and ${served} requests (answers: ${histogram})`);
    for (const line of result.evidence) console.log(`    ${line.trim()}`);
  }

  console.log('\nSummary');
  for (const r of results) console.log(`  ${r.verdict.padEnd(12)} ${r.target.name.padEnd(18)} ${r.seconds} s`);
  console.log(`  requests served: ${requests}; server errors: ${serverErrors.length}`);
  for (const line of [...new Set(serverErrors)].slice(0, 20)) console.log(`    ${line}`);

  const findings = results.filter((r) => r.verdict === 'finding');
  const inconclusive = results.filter((r) => r.verdict === 'inconclusive');
  if (findings.length > 0 || serverErrors.length > 0) {
    console.log(`\nFAILED: ${findings.length} target(s) with findings, ${serverErrors.length} server error(s). Details kept in ${workDir}`);
    return 1;
  }
  if (inconclusive.length > 0) {
    console.log(`\nINCONCLUSIVE: ${inconclusive.map((r) => r.target.name).join(', ')} could not be scanned to the end. Details kept in ${workDir}`);
    return 2;
  }
  console.log('\nPASSED: sqlmap found no injection in any target.');
  return 0;
}

let exitCode = 2;
let keep = false;
try {
  exitCode = await main();
  keep = exitCode !== 0 || process.env.SCAN_KEEP === '1';
} catch (error) {
  console.error(`The scan could not run: ${error instanceof Error ? error.message : String(error)}`);
  keep = true;
} finally {
  await stopEverything(keep);
}
process.exit(exitCode);
