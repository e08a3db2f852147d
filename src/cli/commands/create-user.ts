import { MIN_PASSWORD_LENGTH } from '../../domain/password.ts';
import { ROLES, createUser, validateNewUser } from '../../services/users.ts';
import { CliError, INVOCATION, UsageError, type Command } from '../command.ts';
import { withDatabase } from '../database.ts';
import { readPassword } from '../password.ts';

/** `create-user`: creates an account through the same service the administration pages use. */
export const createUserCommand: Command = {
  name: 'create-user',
  summary: 'Create an account with a password and roles.',
  usage: 'create-user --email <address> --name <name> [--roles <roles>]',
  description: `
The password is asked for twice with nothing shown while typing, or, when standard input is not a
terminal, read from its first line:

  printf '%s\\n' "$PASSWORD" | ${INVOCATION} create-user --email an@example.org --name "An Peeters" --roles teacher

Passwords have at least ${MIN_PASSWORD_LENGTH} characters. An e-mail address can belong to one account only.`,
  options: {
    email: { type: 'string', valueName: 'address', description: 'E-mail address to sign in with (stored lower-case).' },
    name: { type: 'string', valueName: 'name', description: 'Full name, as shown on pages and certificates.' },
    roles: { type: 'string', valueName: 'roles', description: `Comma-separated, from ${ROLES.join(', ')}. Default: participant.` },
  },
  async run(values, io) {
    const email = values.email;
    const name = values.name;
    if (typeof email !== 'string' || email.trim() === '') throw new UsageError('create-user needs --email <address>.');
    if (typeof name !== 'string' || name.trim() === '') throw new UsageError('create-user needs --name <name>.');
    const roles = (typeof values.roles === 'string' ? values.roles : 'participant').split(',');

    // Check what the command line says before asking for a password, so a typo costs no typing.
    const precheck = validateNewUser({ email, name, roles, password: 'x'.repeat(MIN_PASSWORD_LENGTH) });
    if (!precheck.ok) throw new CliError(precheck.problems.map((p) => p.message).join('\n'));

    const password = await readPassword(io, { confirm: true });
    await withDatabase(io.env, async (store) => {
      const user = await createUser(store.db, { email, name, roles, password });
      io.stdout.write(`Created ${user.name} <${user.email}> with role${user.roles.length > 1 ? 's' : ''} ${user.roles.join(', ')} (id ${user.id}).\n`);
    });
  },
};
