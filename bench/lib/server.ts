/**
 * Measurements against the real server (`node scripts/start.mjs`, as `npm start` runs it: the compiled
 * server in dist/, built first when a source is newer),
 * started as a child process on 127.0.0.1 with the bench database: G (spawn to the first 200 on
 * /login), B (autocannon on a class page as the signed-in teacher) and F (the server's peak resident
 * memory during B, read from /proc/<pid>/status). With WORKERS > 1 in the environment the server runs as
 * a cluster, and its CPU time and memory are those of the primary and its workers together.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { CLASS_PARTICIPANTS } from './dataset.ts';
import type { Dataset } from './datasets.ts';
import { CLASS_RUN_PATH } from './inprocess.ts';
import { teacherHeaders } from './session.ts';
import { summarize, type Summary } from './stats.ts';
import { freePort } from '../../src/testing/ports.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface RunningServer {
  child: ChildProcess;
  port: number;
  startMs: number;
  stderr: () => string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the server and waits for the first 200 on /login; the time from spawn to it is G. */
export async function startServer(dataset: Dataset, logLevel = 'info'): Promise<RunningServer> {
  const port = await freePort();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'DATABASE_URL') env[k] = v;
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataset.dataDir,
    SEED_DEMO: 'false',
    LOG_LEVEL: logLevel,
    NODE_ENV: 'production',
  });
  if (dataset.postgresUrl) env.DATABASE_URL = dataset.postgresUrl;

  const started = performance.now();
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = started + 120_000;
  for (;;) {
    if (exited) throw new Error(`the server exited before answering:\n${stderr}`);
    if (performance.now() > deadline) {
      await stopServer({ child, port, startMs: 0, stderr: () => stderr });
      throw new Error(`the server did not answer within 120 s:\n${stderr}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/login`, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  return { child, port, startMs: performance.now() - started, stderr: () => stderr };
}

/** Stops a server this bench started (SIGTERM, then SIGKILL after 10 s). */
export async function stopServer(server: RunningServer): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** G: spawn to first response, `warmup` + `runs` fresh starts. Leaves the last server running for B. */
export async function measureStartup(dataset: Dataset, warmup: number, runs: number): Promise<{ summary: Summary; server: RunningServer }> {
  const samples: number[] = [];
  let server: RunningServer | undefined;
  for (let i = 0; i < warmup + runs; i += 1) {
    if (server) await stopServer(server);
    server = await startServer(dataset);
    if (i >= warmup) samples.push(server.startMs);
  }
  return { summary: summarize(samples), server: server! };
}

function readMemory(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(/^(\w+):\s+(\d+)/m.exec(status.split('\n').find((l) => l.startsWith(`${name}:`)) ?? '')?.[2] ?? 0);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** The fields of /proc/<pid>/stat after the command name (so field 3, the state, is index 0). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The server's processes: the one started, and its workers when it runs as a cluster (WORKERS > 1). */
function serverProcesses(pid: number): number[] {
  const isWorker = (p: number) => {
    try {
      // A cluster's workers are the server's node children (they run the same start script).
      return statFields(p)?.[1] === String(pid) && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('start.mjs');
    } catch {
      return false;
    }
  };
  const workers = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter(isWorker);
  return [pid, ...workers];
}

/** CPU seconds (user + system) the processes have used, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pids: number[]): number {
  let sum = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (!fields) return Number.NaN;
    sum += (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return sum;
}

/**
 * The processes' proportional set size together (each shared page counted once over all processes
 * that map it): what a cluster really occupies, where summed RSS counts the shared code once per worker.
 */
function readTotalPss(pids: number[]): number | undefined {
  let pssKb = 0;
  for (const pid of pids) {
    try {
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pssKb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? Number.NaN);
    } catch {
      return undefined;
    }
  }
  return Number.isFinite(pssKb) ? pssKb : undefined;
}

/** Resident memory of the processes together: now, and the sum of their high-water marks. */
function readTotalMemory(pids: number[]): { rssKb: number; hwmKb: number } | undefined {
  let rssKb = 0;
  let hwmKb = 0;
  for (const pid of pids) {
    const m = readMemory(pid);
    if (!m) return undefined;
    rssKb += m.rssKb;
    hwmKb += m.hwmKb;
  }
  return { rssKb, hwmKb };
}

export interface LoadResult {
  requestsPerSecond: number;
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
  requests: number;
  non2xx: number;
  errors: number;
  /** The server's peak resident memory; for a cluster, the primary's and the workers' peaks added up. */
  peakRssMb: number;
  sampledMaxRssMb: number;
  /** The largest proportional set size of all server processes together, sampled every 100 ms. */
  sampledMaxPssMb: number;
  /** Processes of the server: 1, or the primary and its workers. */
  processes: number;
  /** Server CPU time per request (user + system): what a request costs, whatever else runs on the machine. */
  serverCpuMsPerRequest: number;
  bytesPerPage: number;
}

/**
 * B and F: autocannon (16 connections, `seconds` s) on a class page as the signed-in teacher, after a
 * warm-up run; the server's memory is sampled every 100 ms and its high-water mark read at the end.
 * B20 is the same on the long class run's page (`pagePath`).
 */
export async function measureLoad(
  server: RunningServer,
  options: { connections: number; seconds: number; warmupSeconds: number; pagePath?: string },
): Promise<LoadResult> {
  const url = `http://127.0.0.1:${server.port}${options.pagePath ?? CLASS_RUN_PATH}`;
  const check = await fetch(url, { headers: teacherHeaders });
  const body = await check.text();
  const rows = body.split('name="row"').length - 1;
  if (check.status !== 200 || rows !== CLASS_PARTICIPANTS) {
    throw new Error(`the class page answered ${check.status} with ${rows} participant rows; expected 200 with ${CLASS_PARTICIPANTS}`);
  }
  const pids = serverProcesses(server.child.pid!);
  let sampledMaxKb = 0;
  let sampledMaxPssKb = 0;
  const poll = setInterval(() => {
    const m = readTotalMemory(pids);
    if (m) sampledMaxKb = Math.max(sampledMaxKb, m.rssKb);
    sampledMaxPssKb = Math.max(sampledMaxPssKb, readTotalPss(pids) ?? 0);
  }, 100);
  try {
    if (options.warmupSeconds > 0) await autocannon({ url, connections: options.connections, duration: options.warmupSeconds, headers: teacherHeaders });
    const cpuBefore = cpuSeconds(pids);
    const result = await autocannon({ url, connections: options.connections, duration: options.seconds, headers: teacherHeaders });
    const cpuUsed = cpuSeconds(pids) - cpuBefore;
    const memory = readTotalMemory(pids);
    return {
      requestsPerSecond: result.requests.average,
      latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, average: result.latency.average, max: result.latency.max },
      requests: result['2xx'] + result.non2xx,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      peakRssMb: (memory?.hwmKb ?? 0) / 1024,
      sampledMaxRssMb: sampledMaxKb / 1024,
      sampledMaxPssMb: sampledMaxPssKb / 1024,
      serverCpuMsPerRequest: (cpuUsed * 1000) / Math.max(1, result['2xx'] + result.non2xx),
      processes: pids.length,
      bytesPerPage: Buffer.byteLength(body),
    };
  } finally {
    clearInterval(poll);
  }
}

export interface FloorResult {
  requestsPerSecond: number;
  latency: { p50: number; p99: number };
  serverCpuMsPerRequest: number;
  bytesPerPage: number;
}

/**
 * B floor: the most this machine serves of the class page at all. A bare `node:http` server, in a
 * process of its own, answers every request with the page's bytes (fetched once from the running
 * app, so the same size) from memory, under the same autocannon load as B: no routing, session,
 * database or rendering, so B ÷ B floor is the share of the machine's limit that the app reaches.
 */
export async function measureFloor(server: RunningServer, options: { connections: number; seconds: number; warmupSeconds: number }): Promise<FloorResult> {
  const page = await fetch(`http://127.0.0.1:${server.port}${CLASS_RUN_PATH}`, { headers: teacherHeaders });
  if (page.status !== 200) throw new Error(`B floor: the class page answered ${page.status}`);
  const body = Buffer.from(await page.arrayBuffer());
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-floor-')), 'page.html');
  fs.writeFileSync(file, body);
  const port = await freePort();
  const script = `
    const http = require('node:http');
    const body = require('node:fs').readFileSync(process.argv[1]);
    const headers = { 'content-type': 'text/html; charset=UTF-8', 'content-length': body.length };
    http.createServer((req, res) => { res.writeHead(200, headers); res.end(body); })
      .listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('ready\\n'));`;
  const child = spawn(process.execPath, ['-e', script, file, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`B floor: the bare server exited (${code})`)));
    });
    const url = `http://127.0.0.1:${port}/`;
    if (options.warmupSeconds > 0) await autocannon({ url, connections: options.connections, duration: options.warmupSeconds });
    const cpuBefore = cpuSeconds([child.pid!]);
    const result = await autocannon({ url, connections: options.connections, duration: options.seconds });
    const cpuUsed = cpuSeconds([child.pid!]) - cpuBefore;
    return {
      requestsPerSecond: result.requests.average,
      latency: { p50: result.latency.p50, p99: result.latency.p99 },
      serverCpuMsPerRequest: (cpuUsed * 1000) / Math.max(1, result['2xx']),
      bytesPerPage: body.byteLength,
    };
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/**
 * A http: the participants page (`pagePath`) fetched over HTTP on 127.0.0.1 by a real client, one
 * request at a time, timed from sending the request to the last byte of the answer: what A (timed
 * inside the process) becomes once the answer has to travel.
 */
export async function measurePageOverHttp(server: RunningServer, pagePath: string, warmup: number, runs: number): Promise<{ summary: Summary; bytes: number }> {
  const url = `http://127.0.0.1:${server.port}${pagePath}`;
  let bytes = 0;
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers: teacherHeaders });
    const body = await response.arrayBuffer();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`A http: ${pagePath} answered ${response.status}`);
    bytes = body.byteLength;
    if (i >= warmup) samples.push(ms);
  }
  return { summary: summarize(samples), bytes };
}
