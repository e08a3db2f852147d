import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../db/index.ts';
import { getUserByEmail, getUserWithRoles } from '../repositories/users.ts';
import { createPasswordLink } from '../services/admin-users.ts';
import { makeUser } from '../testing/factories.ts';
import { runCliCaptured } from '../testing/cli.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as operators do (`node --import tsx src/cli/main.ts …`), on the SQLite file in `dataDir`. */
function cli(args: string[], options: { dataDir: string; input?: string }): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: options.dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

// Starting a process costs a second or two (tsx compiles on the fly), so the child-process suite
// covers each path through main.ts once; the many refusals run through the same dispatcher in-process.
async function readUser(file: string, email: string) {
  const store = openSqlite(file);
  try {
    const user = await getUserByEmail(store.db, email);
    return user && { ...user, roles: (await getUserWithRoles(store.db, user.id))!.roles };
  } finally {
    await store.close();
  }
}

describe('command line, as a child process', { timeout: 60_000 }, () => {
  let dataDir: string;
  const file = () => path.join(dataDir, 'presentia.db');

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-cli-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists its commands with --help', async () => {
    const out = await cli(['--help'], { dataDir });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Usage: npm run cli -- <command>');
    for (const command of ['migrate', 'create-user', 'seed-demo']) expect(out.stdout).toContain(command);
    expect(out.stderr).toBe('');
  });

  it('refuses an unknown command with a clear message and status 2', async () => {
    const unknown = await cli(['frobnicate'], { dataDir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    expect(unknown.stderr).toContain('migrate, create-user, seed-demo');
    expect(unknown.stdout).toBe('');
  });

  it('migrates a new database, and says so when there is nothing left to do', async () => {
    const first = await cli(['migrate'], { dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Applied migration');
    expect(fs.existsSync(file())).toBe(true);

    const second = await cli(['migrate'], { dataDir });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already up to date');
  });

  it('creates a user with the password read from standard input', async () => {
    const out = await cli(['create-user', '--email', 'Els.Maes@Voorbeeld.be', '--name', 'Els Maes', '--roles', 'teacher,participant'], {
      dataDir,
      input: 'zomer in Brugge\n',
    });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Created Els Maes <els.maes@voorbeeld.be>');

    const user = await readUser(file(), 'els.maes@voorbeeld.be');
    expect(user?.name).toBe('Els Maes');
    expect(user?.roles.sort()).toEqual(['participant', 'teacher']);
    expect(await verify(user!.password_hash!, 'zomer in Brugge')).toBe(true);
  });

  it('seeds demo data into an empty database and lists the accounts', async () => {
    const empty = path.join(dataDir, 'demo');
    const out = await cli(['seed-demo'], { dataDir: empty });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('43 users');
    for (const email of ['beheerder@presentia.test', 'docent@presentia.test', 'docent2@presentia.test', 'deelnemer@presentia.test']) {
      expect(out.stdout).toContain(email);
    }
  });
});

describe('command line, in-process', () => {
  let dataDir: string;
  const file = () => path.join(dataDir, 'presentia.db');

  /** Runs a command line through the dispatcher with captured output and `input` as piped standard input. */
  const run = (args: string[], input = '', env: Record<string, string> = {}): Promise<Outcome> => runCliCaptured(args, { DATA_DIR: dataDir, ...env }, input);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-cli-'));
    const created = await run(['create-user', '--email', 'els.maes@voorbeeld.be', '--name', 'Els Maes'], 'zomer in Brugge\n');
    expect(created.code).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sweeps staged proof files of abandoned saves, and a second run changes nothing', async () => {
    const staging = path.join(dataDir, 'uploads', 'staging');
    fs.mkdirSync(staging, { recursive: true });
    const old = path.join(staging, '01J00000000000000000000000.pdf');
    const young = path.join(staging, '01J00000000000000000000001.pdf');
    fs.writeFileSync(old, '%PDF-1.4\n');
    fs.writeFileSync(young, '%PDF-1.4\n');
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    fs.utimesSync(old, twoDaysAgo, twoDaysAgo);
    const first = await run(['sweep-staged-proofs']);
    expect(first).toEqual({ code: 0, stdout: 'Removed 1 staged proof file(s) and 0 record(s) of abandoned saves; moved 0 file(s) of made saves.\n', stderr: '' });
    expect(fs.readdirSync(staging)).toEqual(['01J00000000000000000000001.pdf']);
    const second = await run(['sweep-staged-proofs']);
    expect(second.stdout).toBe('Removed 0 staged proof file(s) and 0 record(s) of abandoned saves; moved 0 file(s) of made saves.\n');
  });

  it('sends the e-mail waiting in the outbox (to the log without SMTP_HOST), and a second run sends nothing more', async () => {
    const store = openSqlite(file());
    try {
      const admin = await getUserByEmail(store.db, 'els.maes@voorbeeld.be');
      const person = await makeUser(store.db);
      await createPasswordLink(store.db, { id: admin!.id, roles: ['admin'], source: 'admin' }, person.id);
    } finally {
      await store.close();
    }
    const first = await run(['send-mail']);
    expect(first).toEqual({ code: 0, stdout: 'E-mail outbox: 1 sent, 0 to be tried again, 0 given up, 0 no longer applicable.\n', stderr: '' });
    const second = await run(['send-mail']);
    expect(second.stdout).toBe('E-mail outbox: 0 sent, 0 to be tried again, 0 given up, 0 no longer applicable.\n');
  });

  it('explains each command with <command> --help or help <command>, touching no database', async () => {
    const untouched = dataDir;
    dataDir = path.join(untouched, 'untouched');
    try {
      const help = await run(['create-user', '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: npm run cli -- create-user --email <address> --name <name>');
      expect(help.stdout).toContain('--roles <roles>');
      expect(help.stdout).toContain('at least 10 characters');
      expect((await run(['migrate', '-h'])).stdout).toContain('Usage: npm run cli -- migrate');
      expect((await run(['help', 'seed-demo'])).stdout).toContain('Refuses a database that already has users');
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      dataDir = untouched;
    }
  });

  it('refuses a wrong command line with status 2', async () => {
    const option = await run(['create-user', '--mail', 'x@voorbeeld.be']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--mail'.");
    expect(option.stderr).toContain('create-user --help');

    const value = await run(['create-user', '--email']);
    expect(value.code).toBe(2);

    const noEmail = await run(['create-user', '--name', 'Zonder adres'], 'lang genoeg\n');
    expect(noEmail.code).toBe(2);
    expect(noEmail.stderr).toContain('create-user needs --email <address>.');

    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Commands:');
  });

  it('refuses a taken address, a short or missing password and bad roles, creating nothing', async () => {
    const taken = await run(['create-user', '--email', 'ELS.MAES@voorbeeld.be', '--name', 'Els Maes'], 'nog een wachtwoord\n');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe('An account with the e-mail address els.maes@voorbeeld.be already exists.\n');

    const short = await run(['create-user', '--email', 'kort@voorbeeld.be', '--name', 'Kort'], 'kort\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('The password must be at least 10 characters long.');

    const missing = await run(['create-user', '--email', 'leeg@voorbeeld.be', '--name', 'Leeg'], '');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No password given');

    const roles = await run(['create-user', '--email', 'rol@voorbeeld.be', '--name', 'Rol', '--roles', 'teacher,boss'], 'lang genoeg\n');
    expect(roles.code).toBe(1);
    expect(roles.stderr).toContain('Unknown role "boss"; the roles are participant, teacher, admin.');

    const email = await run(['create-user', '--email', 'geen-adres', '--name', 'Fout'], 'lang genoeg\n');
    expect(email.code).toBe(1);
    expect(email.stderr).toContain('"geen-adres" is not a valid e-mail address.');

    for (const address of ['kort@voorbeeld.be', 'leeg@voorbeeld.be', 'rol@voorbeeld.be']) expect(await readUser(file(), address)).toBeUndefined();
  });

  it('takes only the first line of piped input as the password (a trailing CR too)', async () => {
    const out = await run(['create-user', '--email', 'crlf@voorbeeld.be', '--name', 'Windows'], 'wachtwoord met spatie\r\nrest\n');
    expect(out.code).toBe(0);
    const user = await readUser(file(), 'crlf@voorbeeld.be');
    expect(await verify(user!.password_hash!, 'wachtwoord met spatie')).toBe(true);
    expect(user!.roles).toEqual(['participant']);
  });

  it('refuses to seed demo data into a database that has users', async () => {
    const store = openSqlite(file());
    const users = await store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().finally(() => store.close());
    const out = await run(['seed-demo']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`already has ${Number(users.n)} users; seed-demo only fills an empty database. Nothing was changed.`);
    expect(await readUser(file(), 'beheerder@presentia.test')).toBeUndefined();
  });

  it('reports a wrong configuration or an unreachable database without a stack trace', async () => {
    const config = await run(['migrate'], '', { DATABASE_URL: 'mysql://elders' });
    expect(config.code).toBe(1);
    expect(config.stderr).toContain('DATABASE_URL must start with postgres://');
    expect(config.stderr).not.toContain('    at ');

    const unreachable = await run(['migrate'], '', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/presentia' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('Cannot open the postgres database at postgres://postgres@127.0.0.1:1/presentia');
  });
});
