import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../db/index.ts';
import { tokenHash } from '../services/api-tokens.ts';
import { runCliCaptured } from '../testing/cli.ts';

describe('create-api-token on the command line', () => {
  let dataDir: string;

  const run = (args: string[]) => runCliCaptured(args, { DATA_DIR: dataDir });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-cli-token-'));
    expect((await run(['seed-demo'])).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints a token once and stores only its hash; refuses a non-administrator and bad values', async () => {
    const expires = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const made = await run(['create-api-token', '--by', 'beheerder@presentia.test', '--name', 'HR', '--scopes', 'read,write', '--expires', expires, '--teacher', 'docent@presentia.test']);
    expect(made.code).toBe(0);
    const token = made.stdout.trim();
    expect(token).toMatch(/^prs_[\w-]{43}$/);
    const store = openSqlite(path.join(dataDir, 'presentia.db'));
    try {
      const row = await store.db.selectFrom('api_tokens as t').innerJoin('users as u', 'u.id', 't.user_id').select(['t.token_hash', 't.scopes', 'u.email']).executeTakeFirstOrThrow();
      expect(row).toEqual({ token_hash: tokenHash(token), scopes: 'read write', email: 'docent@presentia.test' });
    } finally {
      await store.close();
    }
    const notAdmin = await run(['create-api-token', '--by', 'docent@presentia.test', '--name', 'x', '--scopes', 'read', '--expires', expires]);
    expect([notAdmin.code, notAdmin.stderr]).toEqual([1, expect.stringContaining('not an administrator')]);
    const refused = await run(['create-api-token', '--by', 'beheerder@presentia.test', '--name', 'x', '--scopes', 'admin', '--expires', expires, '--teacher', 'docent@presentia.test']);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('admin_scope_needs_admin')]);
    expect((await run(['sweep-idempotency-keys'])).stdout).toBe('Removed 0 kept API answer(s).\n');
  });
});
