import { verify } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { getUserByEmail, getUserWithRoles } from '../repositories/users.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { createUser, EmailInUse, InvalidUserInput, validateNewUser, type NewUserInput } from './users.ts';

const valid: NewUserInput = { email: 'an.peeters@voorbeeld.be', name: 'An Peeters', roles: ['participant'], password: 'correct paard' };

function problemsOf(input: Partial<NewUserInput>) {
  const result = validateNewUser({ ...valid, ...input });
  return result.ok ? [] : result.problems.map((p) => `${p.field}:${p.code}`);
}

describe('validateNewUser', () => {
  it('normalises a valid user', () => {
    const result = validateNewUser({ email: '  Jan.De.Smet@Voorbeeld.BE ', name: ' Jan De Smet ', roles: ['Teacher ', 'participant', 'teacher'], password: '1234567890' });
    expect(result).toEqual({
      ok: true,
      value: { email: 'jan.de.smet@voorbeeld.be', name: 'Jan De Smet', roles: ['participant', 'teacher'], password: '1234567890' },
    });
  });

  it('names each problem with its field', () => {
    expect(problemsOf({ email: 'geen-adres' })).toEqual(['email:invalid_email']);
    expect(problemsOf({ email: `${'a'.repeat(250)}@x.be` })).toEqual(['email:invalid_email']);
    expect(problemsOf({ name: '  ' })).toEqual(['name:name_required']);
    expect(problemsOf({ name: 'x'.repeat(201) })).toEqual(['name:name_too_long']);
    expect(problemsOf({ roles: [] })).toEqual(['roles:roles_required']);
    expect(problemsOf({ roles: [' ', ''] })).toEqual(['roles:roles_required']);
    expect(problemsOf({ roles: ['participant', 'beheerder'] })).toEqual(['roles:unknown_role']);
    expect(problemsOf({ password: '123456789' })).toEqual(['password:password_too_short']);
    expect(problemsOf({ password: 'x'.repeat(1001) })).toEqual(['password:password_too_long']);
  });

  it('counts password length in characters, not UTF-16 units', () => {
    expect(problemsOf({ password: '🔑🔑🔑🔑🔑🔑🔑🔑🔑' })).toEqual(['password:password_too_short']);
    expect(problemsOf({ password: 'wachtwoord' })).toEqual([]);
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ email: 'x', name: '', roles: [], password: '' })).toEqual([
      'email:invalid_email',
      'name:name_required',
      'roles:roles_required',
      'password:password_too_short',
    ]);
  });

  it('keeps control characters out of names', () => {
    const result = validateNewUser({ ...valid, name: 'An\u0000\nPeeters' });
    expect(result.ok && result.value.name).toBe('An  Peeters');
  });
});

describeEachDatabase('createUser', (store) => {
  const db = () => store().db;

  it('creates an account with its roles and an argon2 hash of the password', async () => {
    const created = await createUser(db(), { email: 'Lies.Wouters@Voorbeeld.be', name: 'Lies Wouters', roles: ['teacher', 'participant'], password: 'zomer in Gent' });
    expect(created).toMatchObject({ email: 'lies.wouters@voorbeeld.be', name: 'Lies Wouters', roles: ['participant', 'teacher'] });

    const stored = await getUserByEmail(db(), 'LIES.WOUTERS@voorbeeld.be');
    expect(stored?.id).toBe(created.id);
    expect(stored?.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verify(stored!.password_hash!, 'zomer in Gent')).toBe(true);
    expect((await getUserWithRoles(db(), created.id))?.roles.sort()).toEqual(['participant', 'teacher']);
  });

  it('refuses an e-mail address already in use, whatever its case, and changes nothing', async () => {
    await createUser(db(), { ...valid, email: 'bart.claes@voorbeeld.be' });
    const attempt = createUser(db(), { ...valid, email: ' Bart.Claes@VOORBEELD.be', name: 'Een andere Bart' });
    await expect(attempt).rejects.toBeInstanceOf(EmailInUse);
    await expect(attempt).rejects.toThrow('An account with the e-mail address bart.claes@voorbeeld.be already exists.');
    const rows = await db().selectFrom('users').select('name').where('email', '=', 'bart.claes@voorbeeld.be').execute();
    expect(rows).toEqual([{ name: 'An Peeters' }]);
  });

  it('refuses invalid input with every problem, writing nothing', async () => {
    const before = await db().selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const error = await createUser(db(), { email: 'niet geldig', name: '', roles: ['superuser'], password: 'kort' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidUserInput);
    expect((error as InvalidUserInput).problems.map((p) => p.field)).toEqual(['email', 'name', 'roles', 'password']);
    expect((error as InvalidUserInput).message).toContain('at least 10 characters');
    const after = await db().selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('creates one account when the same address is created twice at once', async () => {
    const input = { ...valid, email: 'gelijktijdig@voorbeeld.be' };
    const results = await Promise.allSettled([createUser(db(), input), createUser(db(), input)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(EmailInUse);
  });

  it('takes part in a transaction it is given: committed with it, and undone with it', async () => {
    const committed = await db()
      .transaction()
      .execute(async (trx) => {
        const created = await createUser(trx, { ...valid, email: 'in.transactie@voorbeeld.be' });
        expect(await getUserByEmail(trx, 'in.transactie@voorbeeld.be')).toMatchObject({ id: created.id, email: 'in.transactie@voorbeeld.be' });
        return created;
      });
    expect(await getUserByEmail(db(), 'in.transactie@voorbeeld.be')).toMatchObject({ id: committed.id });

    let createdId = '';
    const failure = new Error('a later step of the same transaction failed');
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          createdId = (await createUser(trx, { ...valid, email: 'teruggedraaid@voorbeeld.be' })).id;
          expect(await getUserByEmail(trx, 'teruggedraaid@voorbeeld.be')).toMatchObject({ id: createdId });
          throw failure;
        }),
    ).rejects.toBe(failure);
    expect(createdId).not.toBe('');
    expect(await getUserByEmail(db(), 'teruggedraaid@voorbeeld.be')).toBeUndefined();
    expect(await db().selectFrom('users').select('id').where('id', '=', createdId).execute()).toEqual([]);
    expect(await db().selectFrom('user_roles').select('role').where('user_id', '=', createdId).execute()).toEqual([]);
  });
});
