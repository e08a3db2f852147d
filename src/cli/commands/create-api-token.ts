import { getUserByEmail, getUserWithRoles } from '../../repositories/users.ts';
import { ApiTokenRefused, createApiToken } from '../../services/api-tokens.ts';
import { CliError, UsageError, type Command } from '../command.ts';
import { withDatabase } from '../database.ts';

/** `create-api-token`: makes an API token as an administrator, as **Beheer → API-tokens** does, and prints it once. */
export const createApiTokenCommand: Command = {
  name: 'create-api-token',
  summary: 'Make an API token (printed once; only its hash is stored).',
  usage: 'create-api-token --by <administrator address> --name <name> --scopes <read,write,admin> --expires <YYYY-MM-DD> [--teacher <address>]',
  description: `
The token acts as the administrator (--by), or, with --teacher, as that teacher: a personal token,
which acts only on the teacher's own runs and cannot have the admin scope. It works until the end
of the --expires day (at most 366 days ahead). The token is printed on standard output, once.`,
  options: {
    by: { type: 'string', valueName: 'address', description: 'E-mail address of the administrator making the token.' },
    name: { type: 'string', valueName: 'name', description: 'What the token is for, e.g. "HR system".' },
    scopes: { type: 'string', valueName: 'list', description: 'Comma-separated: read, write, admin.' },
    expires: { type: 'string', valueName: 'date', description: 'The last day the token works (YYYY-MM-DD).' },
    teacher: { type: 'string', valueName: 'address', description: 'A teacher\u2019s e-mail address, for a personal token.' },
  },
  async run(values, io) {
    const { by, name, scopes, expires, teacher } = values;
    if (typeof by !== 'string' || by.trim() === '') throw new UsageError('create-api-token needs --by <administrator address>.');
    if (typeof name !== 'string' || typeof scopes !== 'string' || typeof expires !== 'string') throw new UsageError('create-api-token needs --name, --scopes and --expires.');
    await withDatabase(io.env, async (store) => {
      const admin = await getUserByEmail(store.db, by);
      const withRoles = admin && (await getUserWithRoles(store.db, admin.id));
      if (!withRoles?.roles.includes('admin')) throw new CliError(`${by} is not an administrator.`);
      try {
        const created = await createApiToken(store.db, { id: withRoles.id, roles: withRoles.roles, source: 'admin' }, { name, scopes: scopes.split(',').map((s) => s.trim()), expiresOn: expires.trim(), ownerEmail: typeof teacher === 'string' ? teacher : '' });
        io.stdout.write(`${created.token}\n`);
      } catch (error) {
        if (error instanceof ApiTokenRefused) throw new CliError(`Token refused: ${Object.entries(error.problems).map(([field, problem]) => `${field}: ${problem}`).join(', ')}.`);
        throw error;
      }
    });
  },
};
