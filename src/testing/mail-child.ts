/**
 * The process the e-mail restart trial kills (src/jobs/send-mail-restart.test.ts). It opens the
 * store named by its arguments and makes a password link for `userId` (which queues its e-mail in
 * the same transaction); then, by `stop`:
 *   after-commit   it is killed (SIGKILL, by itself) right after the commit, before any sending;
 *   mid-send       it starts sending the outbox and is killed while the mail server has the message.
 *
 *   node --import tsx src/testing/mail-child.ts '{"dataDir":"…"|"databaseUrl":"…","adminId":"…","userId":"…","stop":"after-commit"}'
 */
import { openStore } from '../db/index.ts';
import { sendDueMail } from '../jobs/send-mail.ts';
import { createPasswordLink } from '../services/admin-users.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as { dataDir?: string; databaseUrl?: string; adminId: string; userId: string; stop: 'after-commit' | 'mid-send' };
const store = openStore({ databaseUrl: args.databaseUrl, dataDir: args.dataDir ?? '', poolSize: 2 });
await createPasswordLink(store.db, { id: args.adminId, roles: ['admin'], source: 'admin' }, args.userId);
process.stdout.write('committed\n');
if (args.stop === 'after-commit') process.kill(process.pid, 'SIGKILL');
await sendDueMail(store.db, {
  baseUrl: 'https://presentia.example.org',
  worker: 'killed',
  mailer: {
    target: 'killed',
    close: () => undefined,
    send: async () => {
      process.stdout.write('sending\n');
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => undefined);
    },
  },
});
