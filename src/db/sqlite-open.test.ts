import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, type Store } from './index.ts';

describe('the embedded SQLite database', () => {
  const opened: Store[] = [];
  let dir = '';
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const open = (file: string) => {
    const store = openSqlite(file);
    opened.push(store);
    return store;
  };

  it('reads its file through a memory mapping, and a reader sees what another connection has committed since', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-sqlite-'));
    const file = path.join(dir, 'presentia.db');
    const writer = open(file);
    await sql`create table notes (body text not null)`.execute(writer.db);
    const reader = open(file);
    // SQLite lowers the setting to its compile-time maximum (2 GiB less one 64 KiB block here).
    expect(reader.sqlite!.pragma('mmap_size', { simple: true })).toBeGreaterThanOrEqual(2 ** 31 - 2 ** 16);
    expect(reader.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');

    const bodies = async () => (await sql<{ body: string }>`select body from notes`.execute(reader.db)).rows.map((r) => r.body);
    expect(await bodies()).toEqual([]);
    await sql`insert into notes (body) values ('aanwezig')`.execute(writer.db);
    expect(await bodies()).toEqual(['aanwezig']);
    await sql`update notes set body = 'afwezig'`.execute(writer.db);
    expect(await bodies()).toEqual(['afwezig']);
  });
});
