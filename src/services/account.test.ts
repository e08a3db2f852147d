import { verify } from '@node-rs/argon2';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { makeUser } from '../testing/factories.ts';
import { changePassword, newPasswordProblems, PasswordChangeRefused } from './account.ts';
import { hashPassword, LOGIN_FAILURES_PER_ACCOUNT, openSession, resolveSession, sessionKey } from './auth.ts';

const policy = { maxHours: 12, idleMinutes: 120 };

it('judges a new password: length in characters, not the e-mail address, typed twice alike', () => {
  const email = 'Anna.Peeters@presentia.test';
  expect(newPasswordProblems('kort', 'kort', email)).toEqual(new Map([['new', 'too_short']]));
  expect(newPasswordProblems('🎓🎓🎓🎓🎓🎓🎓🎓🎓', '🎓🎓🎓🎓🎓🎓🎓🎓🎓', email)).toEqual(new Map([['new', 'too_short']]));
  expect(newPasswordProblems('x'.repeat(1001), 'x'.repeat(1001), email)).toEqual(new Map([['new', 'too_long']]));
  expect(newPasswordProblems('anna.peeters@PRESENTIA.test', 'anna.peeters@PRESENTIA.test', email)).toEqual(new Map([['new', 'same_as_email']]));
  expect(newPasswordProblems('lang-genoeg-1', 'lang-genoeg-2', email)).toEqual(new Map([['repeat', 'mismatch']]));
  expect(newPasswordProblems('lang-genoeg-1', 'lang-genoeg-1', email)).toEqual(new Map());
});

describeEachDatabase('changePassword', (store) => {
  const db = () => store().db;

  async function person() {
    const user = await makeUser(db(), ['participant']);
    const email = `p-${user.id.toLowerCase()}@presentia.test`;
    await db().updateTable('users').set({ email, password_hash: await hashPassword('oud-wachtwoord') }).where('id', '=', user.id).execute();
    return { ...user, email, actor: { id: user.id, roles: user.roles, source: 'participant' as const } };
  }
  const change = (current: string, next = 'nieuw-wachtwoord', token = 'unknown') => ({
    currentPassword: current,
    newPassword: next,
    repeatPassword: next,
    sessionToken: token,
    address: '192.0.2.7',
  });

  it('stores an argon2id hash of the new password, keeps this session and ends the others', async () => {
    const p = await person();
    const current = await openSession(db(), p.id, policy);
    const other = await openSession(db(), p.id, policy);
    const stranger = await makeUser(db());
    const strangers = await openSession(db(), stranger.id, policy);

    expect(await changePassword(db(), p.actor, change('oud-wachtwoord', 'nieuw-wachtwoord', current))).toEqual({ endedSessions: 1 });

    const row = await db().selectFrom('users').select('password_hash').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verify(row.password_hash!, 'nieuw-wachtwoord')).toBe(true);
    expect(await resolveSession(db(), current, policy)).toMatchObject({ id: p.id });
    expect(await resolveSession(db(), other, policy)).toBeUndefined();
    expect(await resolveSession(db(), strangers, policy)).toMatchObject({ id: stranger.id });
    const left = await db().selectFrom('sessions').select('id').where('user_id', '=', p.id).execute();
    expect(left).toEqual([{ id: sessionKey(current) }]);
  });

  it('refuses a wrong current password, counts it as a failed login, and stops after the limit', async () => {
    const p = await person();
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i += 1) {
      const error = await changePassword(db(), p.actor, change('fout')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PasswordChangeRefused);
      expect((error as PasswordChangeRefused).problems).toEqual(new Map([['current', 'current_wrong']]));
    }
    const limited = await changePassword(db(), p.actor, change('oud-wachtwoord')).catch((e: unknown) => e);
    expect((limited as PasswordChangeRefused).problems).toEqual(new Map([['form', 'rate_limited']]));
    const row = await db().selectFrom('users').select('password_hash').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(await verify(row.password_hash!, 'oud-wachtwoord')).toBe(true);
  });

  it('refuses an unsuitable new password without checking the current one', async () => {
    const p = await person();
    const error = (await changePassword(db(), p.actor, { ...change(''), newPassword: p.email, repeatPassword: p.email }).catch((e: unknown) => e)) as PasswordChangeRefused;
    expect(error.problems).toEqual(new Map([['new', 'same_as_email'], ['current', 'current_required']]));
    const attempts = await db().selectFrom('login_attempts').select('id').where('email', '=', p.email).execute();
    expect(attempts).toEqual([]);
  });
});
