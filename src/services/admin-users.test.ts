import { expect, it } from 'vitest';
import { nowIso } from '../db/index.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeCertificate, makeRun, makeUser } from '../testing/factories.ts';
import {
  AccountRefused,
  createAccount,
  createPasswordLink,
  deactivateAccount,
  getPasswordLink,
  reactivateAccount,
  setPasswordWithLink,
  updateAccount,
} from './admin-users.ts';
import { login, openSession, resolveSession } from './auth.ts';

const POLICY = { maxHours: 12, idleMinutes: 120 };
const tokenOf = (path: string) => path.split('/').pop()!;

describeEachDatabase('administrators’ accounts', (store) => {
  const db = () => store().db;

  it('creates an account without a password and a one-time link that sets it once; history by the administrator', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const created = await createAccount(db(), admin, { email: ' Nieuw.Persoon@Example.TEST ', name: 'Nieuw Persoon', roles: ['teacher', 'participant'] });
    expect(created).toMatchObject({ email: 'nieuw.persoon@example.test', roles: ['participant', 'teacher'] });
    expect(created.passwordPath).toMatch(/^\/password\/[A-Za-z0-9_-]{43}$/);
    const stored = await db().selectFrom('password_links').select(['token_hash', 'used_at']).where('user_id', '=', created.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(tokenOf(created.passwordPath));
    await expect(login(db(), { email: created.email, password: 'x'.repeat(12), address: '1' }, POLICY)).rejects.toMatchObject({ status: 401 });

    const token = tokenOf(created.passwordPath);
    expect(await getPasswordLink(db(), token)).toMatchObject({ user_id: created.id });
    await expect(setPasswordWithLink(db(), token, { password: 'kort', repeat: 'kort' })).rejects.toMatchObject({ problems: new Map([['new', 'too_short']]) });
    await setPasswordWithLink(db(), token, { password: 'een-goed-wachtwoord', repeat: 'een-goed-wachtwoord' });
    expect((await login(db(), { email: created.email, password: 'een-goed-wachtwoord', address: '1' }, POLICY)).user.id).toBe(created.id);
    await expect(setPasswordWithLink(db(), token, { password: 'nog-een-wachtwoord', repeat: 'nog-een-wachtwoord' })).rejects.toMatchObject({ problems: 'link_unusable' });
    expect(await getPasswordLink(db(), token)).toBeUndefined();

    const history = await db().selectFrom('history').select(['field', 'new_value', 'note', 'actor_id']).where('user_id', '=', created.id).orderBy('id').execute();
    expect(history).toEqual([
      { field: 'account', new_value: 'nieuw.persoon@example.test', note: 'created', actor_id: admin.id },
      { field: 'role', new_value: 'participant,teacher', note: null, actor_id: admin.id },
      { field: 'account', new_value: null, note: 'password_link', actor_id: admin.id },
      { field: 'account', new_value: null, note: 'password_set', actor_id: created.id },
    ]);
    await expect(createAccount(db(), admin, { email: 'NIEUW.persoon@example.test', name: 'Ander', roles: ['participant'] })).rejects.toMatchObject({ id: 'conflict' });
    await expect(createAccount(db(), admin, { email: 'geen-adres', name: '', roles: ['baas'] })).rejects.toMatchObject({
      problems: [expect.objectContaining({ code: 'invalid_email' }), expect.objectContaining({ code: 'name_required' }), expect.objectContaining({ code: 'unknown_role' })],
    });
  });

  it('an expired or replaced link does nothing', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const user = await makeUser(db());
    const old = await createPasswordLink(db(), admin, user.id, new Date(Date.now() - 73 * 3_600_000));
    expect(await getPasswordLink(db(), tokenOf(old.passwordPath))).toBeUndefined();
    const first = await createPasswordLink(db(), admin, user.id);
    const second = await createPasswordLink(db(), admin, user.id);
    await expect(setPasswordWithLink(db(), tokenOf(first.passwordPath), { password: 'een-goed-wachtwoord', repeat: 'een-goed-wachtwoord' })).rejects.toMatchObject({ problems: 'link_unusable' });
    await setPasswordWithLink(db(), tokenOf(second.passwordPath), { password: 'een-goed-wachtwoord', repeat: 'een-goed-wachtwoord' });
  });

  it('edits name, e-mail and roles, recording each change', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const user = await makeUser(db(), ['participant'], 'Oude Naam');
    const session = await openSession(db(), user.id, POLICY);
    await updateAccount(db(), admin, user.id, { email: 'nieuw@example.test', name: 'Nieuwe Naam', roles: ['teacher'] });
    const row = await db().selectFrom('users').select(['email', 'name']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ email: 'nieuw@example.test', name: 'Nieuwe Naam' });
    const roles = await db().selectFrom('user_roles').select('role').where('user_id', '=', user.id).execute();
    expect(roles.map((r) => r.role)).toEqual(['teacher']);
    // The role taken away is not kept in an open session.
    expect(await resolveSession(db(), session, POLICY)).toBeUndefined();
    const history = await db().selectFrom('history').select(['field', 'old_value', 'new_value', 'note']).where('user_id', '=', user.id).orderBy('id').execute();
    expect(history).toEqual([
      { field: 'account', old_value: expect.stringMatching(/@example\.test$/), new_value: 'nieuw@example.test', note: 'email' },
      { field: 'account', old_value: 'Oude Naam', new_value: 'Nieuwe Naam', note: 'name' },
      { field: 'role', old_value: 'participant', new_value: 'teacher', note: null },
    ]);
  });

  it('deactivates: no sign-in, sessions end, enrolments and certificates stay; reactivates', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id });
    const created = await createAccount(db(), admin, { email: `weg-${Date.now()}@example.test`, name: 'Weg Gaand', roles: ['participant'] });
    await setPasswordWithLink(db(), tokenOf(created.passwordPath), { password: 'een-goed-wachtwoord', repeat: 'een-goed-wachtwoord' });
    const e = await enrol(db(), run, created.id, { status: 'completed' });
    await makeCertificate(db(), { enrolmentId: e.id, userId: created.id, courseId: run.courseId });
    const session = await openSession(db(), created.id, POLICY);
    const link = await createPasswordLink(db(), admin, created.id);

    await deactivateAccount(db(), admin, created.id);
    expect(await resolveSession(db(), session, POLICY)).toBeUndefined();
    await expect(login(db(), { email: created.email, password: 'een-goed-wachtwoord', address: '2' }, POLICY)).rejects.toMatchObject({ status: 401 });
    expect(await getPasswordLink(db(), tokenOf(link.passwordPath))).toBeUndefined();
    expect(await db().selectFrom('enrolments').select('id').where('user_id', '=', created.id).execute()).toHaveLength(1);
    expect(await db().selectFrom('certificates').select('id').where('user_id', '=', created.id).where('revoked_at', 'is', null).execute()).toHaveLength(1);
    await expect(deactivateAccount(db(), admin, created.id)).rejects.toMatchObject({ reason: 'already_deactivated' });

    await reactivateAccount(db(), admin, created.id);
    expect((await login(db(), { email: created.email, password: 'een-goed-wachtwoord', address: '2' }, POLICY)).user.id).toBe(created.id);
  });

  it('never leaves the organisation without an active administrator', async () => {
    // A fresh organisation: only these administrators are active.
    await db().updateTable('users').set({ deactivated_at: nowIso() }).where('id', 'in', db().selectFrom('user_roles').select('user_id').where('role', '=', 'admin')).execute();
    const a = actorOf(await makeUser(db(), ['admin']));
    const b = actorOf(await makeUser(db(), ['admin', 'teacher']));
    await expect(deactivateAccount(db(), a, a.id)).rejects.toMatchObject({ reason: 'not_yourself' });
    await updateAccount(db(), a, b.id, { email: `b-${Date.now()}@example.test`, name: 'B', roles: ['teacher'] });
    const email = (await db().selectFrom('users').select('email').where('id', '=', a.id).executeTakeFirstOrThrow()).email;
    await expect(updateAccount(db(), a, a.id, { email, name: 'A', roles: ['participant'] })).rejects.toBeInstanceOf(AccountRefused);
    await expect(updateAccount(db(), a, a.id, { email, name: 'A', roles: ['participant'] })).rejects.toMatchObject({ reason: 'last_administrator' });
    const roles = await db().selectFrom('user_roles').select('role').where('user_id', '=', a.id).execute();
    expect(roles.map((r) => r.role)).toEqual(['admin']);

    // Two administrators deactivating each other at the same moment: one of them stays.
    for (let round = 0; round < 5; round += 1) {
      await db().updateTable('users').set({ deactivated_at: nowIso() }).where('id', 'in', db().selectFrom('user_roles').select('user_id').where('role', '=', 'admin')).execute();
      const x = actorOf(await makeUser(db(), ['admin']));
      const y = actorOf(await makeUser(db(), ['admin']));
      const results = await Promise.allSettled([deactivateAccount(db(), x, y.id), deactivateAccount(db(), y, x.id)]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ reason: 'last_administrator' });
      const active = await db().selectFrom('users').select('id').where('id', 'in', [x.id, y.id]).where('deactivated_at', 'is', null).execute();
      expect(active).toHaveLength(1);
    }
  });

  it('answers non-administrators with "not found"', async () => {
    const teacher = actorOf(await makeUser(db(), ['teacher']));
    const user = await makeUser(db());
    await expect(createAccount(db(), teacher, { email: 'x@example.test', name: 'X', roles: ['participant'] })).rejects.toMatchObject({ id: 'not_found_or_no_access' });
    await expect(deactivateAccount(db(), teacher, user.id)).rejects.toMatchObject({ id: 'not_found_or_no_access' });
    await expect(createPasswordLink(db(), teacher, user.id)).rejects.toMatchObject({ id: 'not_found_or_no_access' });
  });
});
