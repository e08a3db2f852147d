import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_FAILURES_PER_ACCOUNT } from './services/auth.ts';
import { freePort } from './testing/ports.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a connection of its own, so that the cluster hands each to the next worker. */
function request(port: number, pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The pids of a process's children (the workers of a cluster's primary). */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(pid) && cmdline.includes('scripts/start.mjs');
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The code cache the last start left in dist/ (there is one per build). */
function codeCacheFile(): string {
  const caches = fs.readdirSync(path.join(root, 'dist')).filter((name) => name.endsWith('.v8cache'));
  expect(caches).toHaveLength(1);
  return path.join(root, 'dist', caches[0]!);
}

/**
 * Whether V8 takes that cache for the bundle, as scripts/start.mjs hands it over. Asked in a new
 * process: within one, V8 compiles a source once and then answers from memory without the cache.
 */
function codeCacheAccepted(): boolean {
  const check = `
    const fs = require('node:fs'), vm = require('node:vm'), { Module } = require('node:module');
    const [bundle, cache] = process.argv.slice(1);
    const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData: fs.readFileSync(cache) });
    process.stdout.write(script.cachedDataRejected ? 'refused' : 'accepted');`;
  const result = spawnSync(process.execPath, ['-e', check, path.join(root, 'dist', 'server.cjs'), codeCacheFile()], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout === 'accepted';
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const stamp = path.join(root, 'dist', 'BUILT');

/** Every module specifier the compiled server imports, from each file of dist/. */
function compiledImports(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.c?js$/.test(entry.name)) {
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/(?:from|import|require)\s*\(?\s*"([^"]+)"/g)) found.add(m[1]!);
      }
    }
  };
  walk(path.join(root, 'dist'));
  return found;
}

// `npm start` runs the compiled server (scripts/start.mjs → dist/server.cjs), as a cluster here.
describe('the compiled server as a cluster (WORKERS=2) on SQLite', { timeout: 120_000 }, () => {
  let builtBefore: number;
  let dataDir: string;
  let port: number;
  let server: ChildProcess;
  let stdout = '';
  const logLines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-cluster-'));
    port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', WORKERS: '2', SEED_DEMO: 'false', LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    // An outdated build (as after a pull) is rebuilt by the start itself.
    if (fs.existsSync(stamp)) fs.utimesSync(stamp, new Date(0), new Date(0));
    builtBefore = Date.now();
    server = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    server.stderr!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited:\n${stdout}`);
      if (Date.now() > deadline) throw new Error(`the server did not answer:\n${stdout}`);
      const answer = await request(port, '/login').catch(() => undefined);
      if (answer?.status === 200) break;
      await sleep(100);
    }
    // Both workers listen once the database is ready; wait for the second too.
    while (childrenOf(server.pid!).length < 2 && Date.now() < deadline) await sleep(100);
    await sleep(1000);
  });

  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('rebuilds an outdated build and runs it with no transpiler or bundler in the server', async () => {
    expect(fs.statSync(stamp).mtimeMs).toBeGreaterThanOrEqual(builtBefore - 1000);
    const imports = compiledImports();
    expect(imports.has('pino')).toBe(true); // the walk does find the packages the server loads
    expect(imports.has('kysely')).toBe(false); // bundled in, not loaded module by module
    for (const tool of ['tsx', 'esbuild', 'typescript']) expect(imports.has(tool)).toBe(false);
    for (const pid of [server.pid!, ...childrenOf(server.pid!)]) {
      const maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8');
      expect(maps).not.toMatch(/node_modules\/(tsx|esbuild|@esbuild)\//);
    }
    const script = await request(port, '/static/app.js');
    expect(script.status).toBe(200);
    expect(script.body).toContain('data-filter-rows');
  });

  it('migrates once, in the primary, and serves from both workers', async () => {
    for (let i = 0; i < 8; i += 1) expect((await request(port, '/login')).status).toBe(200);
    const lines = logLines();
    expect(lines.filter((l) => l.msg === 'migrations applied')).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'Presentia is listening')).toHaveLength(1);
    const served = new Set(lines.filter((l) => l.msg === 'request' && l.path === '/login').map((l) => l.worker));
    expect([...served].sort()).toEqual([1, 2]);
  });

  it('limits failed logins per account across workers: the limit lives in the database', async () => {
    const page = await request(port, '/login');
    const csrf = /presentia_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))![1]!;
    const attempt = () =>
      request(port, '/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `presentia_csrf=${csrf}`, origin: `http://127.0.0.1:${port}` },
        body: new URLSearchParams({ _csrf: csrf, email: 'nobody@presentia.test', password: 'wrong password' }).toString(),
      });
    const before = logLines().length;
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT + 1; i += 1) statuses.push((await attempt()).status);
    expect(statuses).toEqual([...Array(LOGIN_FAILURES_PER_ACCOUNT).fill(401), 429]);
    const workers = new Set(logLines().slice(before).filter((l) => l.msg === 'request' && l.method === 'POST').map((l) => l.worker));
    expect(workers.size).toBe(2);
  });

  it('stops at SIGTERM: the workers finish, then the primary exits with 0', async () => {
    const workers = childrenOf(server.pid!);
    expect(workers).toHaveLength(2);
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
    expect(logLines().filter((l) => l.msg === 'shutting down')).toHaveLength(3);
  });

  it('leaves V8 a code cache of the bundle that the next start can use', () => {
    expect(codeCacheAccepted()).toBe(true);
  });
});

describe('the compiled server in one process, with its code cache damaged', { timeout: 60_000 }, () => {
  it('starts without it, serves, and writes a good one at exit', async () => {
    fs.writeFileSync(codeCacheFile(), 'not what V8 wrote');
    expect(codeCacheAccepted()).toBe(false);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-cache-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', WORKERS: '1', SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    const server = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: 'ignore' });
    try {
      const deadline = Date.now() + 30_000;
      let answer: Answer | undefined;
      while (answer?.status !== 200 && server.exitCode === null && Date.now() < deadline) {
        answer = await request(port, '/login').catch(() => undefined);
        if (answer?.status !== 200) await sleep(100);
      }
      expect(answer?.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(codeCacheAccepted()).toBe(true);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
