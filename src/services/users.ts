import { z } from 'zod';
import { newId, nowIso, type Db } from '../db/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Role } from '../db/schema.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../domain/password.ts';
import { AppError } from '../errors.ts';
import { getUserByEmail, insertUsers } from '../repositories/users.ts';
import { hashPassword } from './auth.ts';

/** The roles a person can hold (SPEC §2), in the order they are listed to people. */
export const ROLES: readonly Role[] = ['participant', 'teacher', 'admin'];

/** The longest e-mail address SMTP allows (RFC 5321). */
export const MAX_EMAIL_LENGTH = 254;
export const MAX_NAME_LENGTH = 200;

export interface NewUserInput {
  email: string;
  name: string;
  /** Role names as typed (e.g. from a comma-separated list); checked against `ROLES`. */
  roles: readonly string[];
  password: string;
}

export interface CreatedUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

export type UserInputField = 'email' | 'name' | 'roles' | 'password';

/** One reason a new user was refused: a stable code for translations, and an English message for operators. */
export interface UserInputProblem {
  field: UserInputField;
  code: 'invalid_email' | 'name_required' | 'name_too_long' | 'roles_required' | 'unknown_role' | 'password_too_short' | 'password_too_long';
  message: string;
}

/** The input for a new user was refused; `problems` lists every reason at once, per field. */
export class InvalidUserInput extends AppError {
  constructor(readonly problems: readonly UserInputProblem[]) {
    super('invalid_input', 422, problems.map((p) => p.message).join(' '));
  }
}

/** Another account already uses this e-mail address (compared case-insensitively). */
export class EmailInUse extends AppError {
  constructor(readonly email: string) {
    super('conflict', 409, `An account with the e-mail address ${email} already exists.`);
  }
}

const emailFormat = z.email();
// Control characters in a name would garble certificates, CSV exports and terminal output.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** The account fields of a person (no password), as an administrator or an import gives them. */
export interface AccountFields {
  email: string;
  name: string;
  /** Role names as typed (e.g. from a comma-separated list); checked against `ROLES`. */
  roles: readonly string[];
}

/** E-mail, name and roles normalised (trimmed, e-mail lower-cased, roles de-duplicated in `ROLES` order), with every problem found. */
export function checkAccountFields(input: AccountFields): { value: { email: string; name: string; roles: Role[] }; problems: UserInputProblem[] } {
  const problems: UserInputProblem[] = [];
  const email = input.email.trim().toLowerCase();
  const name = input.name.replace(CONTROL_CHARACTERS, ' ').trim();

  if (email.length > MAX_EMAIL_LENGTH || !emailFormat.safeParse(email).success) {
    problems.push({ field: 'email', code: 'invalid_email', message: `"${input.email.trim()}" is not a valid e-mail address.` });
  }
  if (name === '') problems.push({ field: 'name', code: 'name_required', message: 'A name is required.' });
  else if (name.length > MAX_NAME_LENGTH) {
    problems.push({ field: 'name', code: 'name_too_long', message: `The name is longer than ${MAX_NAME_LENGTH} characters.` });
  }

  const typed = input.roles.map((r) => r.trim().toLowerCase()).filter((r) => r !== '');
  const unknown = typed.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (typed.length === 0) {
    problems.push({ field: 'roles', code: 'roles_required', message: `At least one role is required (${ROLES.join(', ')}).` });
  } else if (unknown.length > 0) {
    problems.push({
      field: 'roles',
      code: 'unknown_role',
      message: `Unknown role ${unknown.map((r) => `"${r}"`).join(', ')}; the roles are ${ROLES.join(', ')}.`,
    });
  }
  const roles = ROLES.filter((r) => typed.includes(r));
  return { value: { email, name, roles }, problems };
}

/** The input normalised (trimmed, e-mail lower-cased, roles de-duplicated) or every problem with it. */
export function validateNewUser(input: NewUserInput): { ok: true; value: Omit<NewUserInput, 'roles'> & { roles: Role[] } } | { ok: false; problems: UserInputProblem[] } {
  const { value, problems } = checkAccountFields(input);
  const { email, name, roles } = value;

  // Length in code points, as a person counts characters (an emoji is one, not two).
  const passwordLength = [...input.password].length;
  if (passwordLength < MIN_PASSWORD_LENGTH) {
    problems.push({ field: 'password', code: 'password_too_short', message: `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.` });
  } else if (passwordLength > MAX_PASSWORD_LENGTH) {
    problems.push({ field: 'password', code: 'password_too_long', message: `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.` });
  }

  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { email, name, roles, password: input.password } };
}

/**
 * Creates an account with a password and roles. Refuses, changing nothing, with `InvalidUserInput`
 * (every problem listed) or `EmailInUse`. The e-mail address is stored lower-case, as login looks it up.
 */
export async function createUser(db: Db, input: NewUserInput, now: Date = new Date()): Promise<CreatedUser> {
  const checked = validateNewUser(input);
  if (!checked.ok) throw new InvalidUserInput(checked.problems);
  const { email, name, roles, password } = checked.value;

  // Checked before hashing, so a taken address is refused at once rather than after argon2's work.
  if (await getUserByEmail(db, email)) throw new EmailInUse(email);
  const passwordHash = await hashPassword(password);
  const user = { id: newId(), email, name, passwordHash, roles, createdAt: nowIso(now) };

  const write = (trx: Db) => insertUsers(trx, [user]);
  try {
    // The user row and its roles go in together: never an account without its roles.
    await (db.isTransaction ? write(db) : db.transaction().execute(write));
  } catch (error) {
    // Someone created the same address between the check above and this insert.
    if (isUniqueViolation(error)) throw new EmailInUse(email);
    throw error;
  }
  return { id: user.id, email, name, roles };
}
