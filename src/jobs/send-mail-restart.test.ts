import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateToLatest, openPostgres, openSqlite, type Store } from '../db/index.ts';
import { createPostgresDatabase } from '../testing/databases.ts';
import { makeUser } from '../testing/factories.ts';
import { startSmtpCapture, type SmtpCapture } from '../testing/smtp.ts';
import { sendDueMail } from './send-mail.ts';

/**
 * A restart between commit and send, with real processes: a child process (src/testing/mail-child.ts)
 * commits a change that queues an e-mail and is killed with SIGKILL, before sending or while
 * sending. The server "after the restart" (this process, a fresh worker) sends the e-mail, once.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function runChild(args: object): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/testing/mail-child.ts', JSON.stringify(args)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ signal, stdout }));
  });
}

const adminUrl = inject('postgresAdminUrl');
for (const kind of ['sqlite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !adminUrl)(`e-mail across a killed process [${kind}]`, { timeout: 60_000 }, () => {
    let store: Store;
    let place: { dataDir?: string; databaseUrl?: string };
    let cleanUp: () => Promise<void>;
    let smtp: SmtpCapture;

    beforeAll(async () => {
      smtp = await startSmtpCapture();
      if (kind === 'sqlite') {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-mail-'));
        store = openSqlite(path.join(dataDir, 'presentia.db'));
        place = { dataDir };
        cleanUp = async () => fs.rmSync(dataDir, { recursive: true, force: true });
      } else {
        const created = await createPostgresDatabase(adminUrl!);
        store = openPostgres(created.url, 2);
        place = { databaseUrl: created.url };
        cleanUp = created.drop;
      }
      await migrateToLatest(store.db);
    });
    afterAll(async () => {
      await store.close();
      await smtp.close();
      await cleanUp();
    });

    const send = (clock?: () => Date) => sendDueMail(store.db, { mailer: smtp.mailer(), baseUrl: 'https://presentia.example.org', worker: 'after-restart', ...(clock ? { clock } : {}) });
    const emailOf = async (id: string) => (await store.db.selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
    const outboxOf = (id: string) => store.db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', id).execute();

    it('a mail committed by a process killed before sending is sent once after the restart', async () => {
      const admin = await makeUser(store.db, ['admin']);
      const user = await makeUser(store.db);
      const child = await runChild({ ...place, adminId: admin.id, userId: user.id, stop: 'after-commit' });
      expect(child).toEqual({ signal: 'SIGKILL', stdout: 'committed\n' });
      expect(await outboxOf(user.id)).toMatchObject([{ state: 'pending', attempts: 0 }]);

      expect(await send()).toMatchObject({ sent: 1 });
      expect(await send()).toMatchObject({ sent: 0 });
      const email = await emailOf(user.id);
      expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(1);
      expect(await outboxOf(user.id)).toMatchObject([{ state: 'sent', attempts: 1, secret: null }]);
    });

    it('a mail whose sender was killed while sending is left alone while its claim runs, then sent once', async () => {
      const admin = await makeUser(store.db, ['admin']);
      const user = await makeUser(store.db);
      const child = await runChild({ ...place, adminId: admin.id, userId: user.id, stop: 'mid-send' });
      expect(child).toEqual({ signal: 'SIGKILL', stdout: 'committed\nsending\n' });
      expect(await outboxOf(user.id)).toMatchObject([{ state: 'pending', attempts: 1, claimed_by: 'killed' }]);

      const now = new Date();
      expect(await send(() => now)).toMatchObject({ sent: 0 });
      expect(await send(() => new Date(now.getTime() + 301_000))).toMatchObject({ sent: 1 });
      expect(await send(() => new Date(now.getTime() + 302_000))).toMatchObject({ sent: 0 });
      const email = await emailOf(user.id);
      expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(1);
      const attempts = await store.db.selectFrom('outbox_attempts').select(['attempt', 'worker', 'outcome']).where('message_id', '=', (await outboxOf(user.id))[0]!.id).execute();
      // The killed attempt left no record but its count; the one that sent it is the second.
      expect(attempts).toEqual([{ attempt: 2, worker: 'after-restart', outcome: 'sent' }]);
    });
  });
}
