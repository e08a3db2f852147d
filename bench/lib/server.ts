/**
 * Measurements against the real server (`node --import tsx src/server.ts`, as `npm start` runs it),
 * started as a child process on 127.0.0.1 with the bench database: G (spawn to the first 200 on
 * /login), B (autocannon on a class page as the signed-in teacher) and F (the server's peak resident
 * memory during B, read from /proc/<pid>/status).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { CLASS_PARTICIPANTS } from './dataset.ts';
import type { Dataset } from './datasets.ts';
import { CLASS_RUN_PATH } from './inprocess.ts';
import { teacherHeaders } from './session.ts';
import { summarize, type Summary } from './stats.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface RunningServer {
  child: ChildProcess;
  port: number;
  startMs: number;
  stderr: () => string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
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
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
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

/** CPU seconds (user + system) the process has used, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export interface LoadResult {
  requestsPerSecond: number;
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
  requests: number;
  non2xx: number;
  errors: number;
  peakRssMb: number;
  sampledMaxRssMb: number;
  /** Server CPU time per request (user + system): what a request costs, whatever else runs on the machine. */
  serverCpuMsPerRequest: number;
  bytesPerPage: number;
}

/**
 * B and F: autocannon (16 connections, `seconds` s) on a class page as the signed-in teacher, after a
 * warm-up run; the server's memory is sampled every 100 ms and its high-water mark read at the end.
 */
export async function measureLoad(server: RunningServer, options: { connections: number; seconds: number; warmupSeconds: number }): Promise<LoadResult> {
  const url = `http://127.0.0.1:${server.port}${CLASS_RUN_PATH}`;
  const check = await fetch(url, { headers: teacherHeaders });
  const body = await check.text();
  const rows = body.split('name="row"').length - 1;
  if (check.status !== 200 || rows !== CLASS_PARTICIPANTS) {
    throw new Error(`the class page answered ${check.status} with ${rows} participant rows; expected 200 with ${CLASS_PARTICIPANTS}`);
  }
  const pid = server.child.pid!;
  let sampledMaxKb = 0;
  const poll = setInterval(() => {
    const m = readMemory(pid);
    if (m) sampledMaxKb = Math.max(sampledMaxKb, m.rssKb);
  }, 100);
  try {
    if (options.warmupSeconds > 0) await autocannon({ url, connections: options.connections, duration: options.warmupSeconds, headers: teacherHeaders });
    const cpuBefore = cpuSeconds(pid);
    const result = await autocannon({ url, connections: options.connections, duration: options.seconds, headers: teacherHeaders });
    const cpuUsed = cpuSeconds(pid) - cpuBefore;
    const memory = readMemory(pid);
    return {
      requestsPerSecond: result.requests.average,
      latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, average: result.latency.average, max: result.latency.max },
      requests: result['2xx'] + result.non2xx,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      peakRssMb: (memory?.hwmKb ?? 0) / 1024,
      sampledMaxRssMb: sampledMaxKb / 1024,
      serverCpuMsPerRequest: (cpuUsed * 1000) / Math.max(1, result['2xx'] + result.non2xx),
      bytesPerPage: Buffer.byteLength(body),
    };
  } finally {
    clearInterval(poll);
  }
}
