import { countUsers } from '../../repositories/users.ts';
import { DEMO_PASSWORD, seedDemo } from '../../services/demo-data.ts';
import { CliError, type Command } from '../command.ts';
import { withDatabase } from '../database.ts';

/** `seed-demo`: fills an empty database with the demo training organisation. */
export const seedDemoCommand: Command = {
  name: 'seed-demo',
  summary: 'Fill an empty database with the demo training organisation.',
  usage: 'seed-demo',
  description: `
Creates a Flemish training organisation to try Presentia with: an administrator, two teachers,
forty participants, classroom, e-learning and exam courses, a programme, runs around today with
attendance already registered for past meetings, withdrawals and certificates. Every demo account
has the password "${DEMO_PASSWORD}".

Refuses a database that already has users, so it never mixes demo people into real data.
The server does the same by itself at start-up unless SEED_DEMO=false.`,
  options: {},
  async run(_values, io) {
    await withDatabase(io.env, async (store) => {
      const users = await countUsers(store.db);
      if (users > 0) {
        throw new CliError(
          `The ${store.kind} database at ${store.location} already has ${users} user${users === 1 ? '' : 's'}; ` +
            'seed-demo only fills an empty database. Nothing was changed.',
        );
      }
      const { accounts, counts } = await seedDemo(store.db);
      io.stdout.write(
        `Demo data created in the ${store.kind} database at ${store.location}: ${counts.users} users, ${counts.courses} courses, ` +
          `${counts.runs} runs with ${counts.meetings} meetings, ${counts.enrolments} enrolments, ${counts.certificates} certificates.\n` +
          `Sign in with any of these accounts (password: ${DEMO_PASSWORD}):\n`,
      );
      for (const a of accounts) io.stdout.write(`  ${a.role.padEnd(13)} ${a.email}\n`);
    });
  },
};
