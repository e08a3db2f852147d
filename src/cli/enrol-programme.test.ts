import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../db/index.ts';
import { runCliCaptured } from '../testing/cli.ts';

describe('enrol-programme on the command line', () => {
  let dataDir: string;

  const run = (args: string[]) => runCliCaptured(args, { DATA_DIR: dataDir });

  async function query<T>(work: (store: ReturnType<typeof openSqlite>) => Promise<T>): Promise<T> {
    const store = openSqlite(path.join(dataDir, 'presentia.db'));
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-cli-programme-'));
    expect((await run(['seed-demo'])).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('enrols a person in each course of a programme and says how, recorded as the administrator', async () => {
    const programme = await query((s) => s.db.selectFrom('programmes').select(['id', 'title']).executeTakeFirstOrThrow());
    const out = await run(['enrol-programme', '--email', 'docent@presentia.test', '--programme', programme.id, '--by', 'beheerder@presentia.test']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    // Eerste hulp and Brandpreventie have one open run each in the demo; the e-learning starts Niet gestart.
    expect(out.stdout).toBe(
      [
        `Enrolled docent@presentia.test in ${programme.title}:`,
        '  Eerste hulp op de werkvloer: enrolled',
        '  Brandpreventie: enrolled',
        '  Veilig werken met chemische stoffen: not_started',
        '  Examen VCA Basisveiligheid: enrolled',
        '',
      ].join('\n'),
    );
    const rows = await query((s) =>
      s.db
        .selectFrom('enrolments as e')
        .innerJoin('users as u', 'u.id', 'e.user_id')
        .select(['e.status', 'e.programme_id'])
        .where('u.email', '=', 'docent@presentia.test')
        .execute(),
    );
    expect(rows.map((r) => r.status).sort()).toEqual(['enrolled', 'enrolled', 'enrolled', 'not_started']);
    expect(rows.every((r) => r.programme_id === programme.id)).toBe(true);

    const again = await run(['enrol-programme', '--email', 'docent@presentia.test', '--programme', programme.id, '--by', 'beheerder@presentia.test']);
    expect(again.stdout).toContain('Brandpreventie: already_following');
  });

  it('refuses someone who is not an administrator, and an unknown programme', async () => {
    const notAdmin = await run(['enrol-programme', '--email', 'deelnemer@presentia.test', '--programme', 'x', '--by', 'docent@presentia.test']);
    expect([notAdmin.code, notAdmin.stderr]).toEqual([1, 'docent@presentia.test is not an administrator.\n']);
    const unknown = await run(['enrol-programme', '--email', 'deelnemer@presentia.test', '--programme', 'nope', '--by', 'beheerder@presentia.test']);
    expect([unknown.code, unknown.stderr]).toEqual([1, 'No person deelnemer@presentia.test or no programme nope.\n']);
  });
});
