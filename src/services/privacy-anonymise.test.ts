import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { NotFoundOrNoAccess } from '../errors.ts';
import { getUserRecordTotals } from '../repositories/privacy.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { makeUser } from '../testing/factories.ts';
import { InvalidCredentials, login, openSession } from './auth.ts';
import { verifyCertificate } from './certificates.ts';
import { anonymiseUser, AnonymiseRefused, withoutEffortComment } from './privacy-anonymise.ts';
import { makePrivacyScenario } from '../testing/privacy-scenario.ts';
import { proofDirectory } from './proof-files.ts';

const policy = { maxHours: 12, idleMinutes: 120 };

it('keeps the effort rating and drops the comment from a history value', () => {
  expect(withoutEffortComment('good: fijn: echt')).toBe('good');
  expect(withoutEffortComment(': alleen tekst')).toBeNull();
  expect(withoutEffortComment('excellent')).toBe('excellent');
  expect(withoutEffortComment(null)).toBeNull();
});

describeEachDatabase('anonymiseUser', (store) => {
  const db = () => store().db;
  const adminActor = async () => {
    const admin = await makeUser(db(), ['admin']);
    return { id: admin.id, roles: admin.roles, source: 'admin' as const };
  };

  /** Everything statistics are made of, over all users. */
  async function statistics() {
    const [enrolments, attendance, certificates] = await Promise.all([
      db().selectFrom('enrolments').select(['id', 'user_id', 'status', 'effort', 'run_id']).orderBy('id').execute(),
      db().selectFrom('attendance').select(['enrolment_id', 'meeting_id', 'present', 'study_points']).orderBy('enrolment_id').orderBy('meeting_id').execute(),
      db().selectFrom('certificates').select(['id', 'number', 'verification_code', 'study_points', 'revoked_at']).orderBy('id').execute(),
    ]);
    return { enrolments, attendance, certificates };
  }

  it('replaces identity and free text but keeps enrolments, attendance, points and certificates', async () => {
    const s = await makePrivacyScenario(db(), { password: 'alice-wachtwoord' });
    const admin = await adminActor();
    await openSession(db(), s.alice.id, policy);
    await login(db(), { email: s.alice.email, password: 'fout', address: '203.0.113.9' }, policy).catch(() => undefined);
    const before = await statistics();
    const totalsBefore = await getUserRecordTotals(db(), s.alice.id);
    const bobHistoryBefore = await db().selectFrom('history').selectAll().where('user_id', '=', s.bob.id).orderBy('id').execute();

    const result = await anonymiseUser(db(), admin, s.alice.id, { dataDir: s.dataDir });

    expect(await statistics()).toEqual(before);
    expect(await getUserRecordTotals(db(), s.alice.id)).toEqual(totalsBefore);
    expect(totalsBefore).toEqual({ enrolments: 2, certificates: 1, points: 3 });

    const user = await db().selectFrom('users').selectAll().where('id', '=', s.alice.id).executeTakeFirstOrThrow();
    expect(user.name).toBe(`Geanonimiseerde deelnemer ${s.alice.id.slice(-8).toLowerCase()}`);
    expect(user.name).toBe(result.name);
    expect(user.email).toBe(`anonymised-${s.alice.id.toLowerCase()}@anonymised.invalid`);
    expect(user).toMatchObject({ password_hash: null, locale: null });
    expect(user.anonymised_at).not.toBeNull();

    const sessions = await db().selectFrom('sessions').select('id').where('user_id', '=', s.alice.id).execute();
    expect(sessions).toEqual([]);
    const attempts = await db().selectFrom('login_attempts').select('id').where('email', '=', s.alice.email).execute();
    expect(attempts).toEqual([]);

    const enrolments = await db().selectFrom('enrolments').selectAll().where('user_id', '=', s.alice.id).execute();
    for (const e of enrolments) expect(e).toMatchObject({ effort_comment: null, force_majeure_note: null, force_majeure_file: null, version: 3 });
    expect(result.proofFilesDeleted).toBe(1);
    expect(existsSync(path.join(proofDirectory(s.dataDir), s.alice.proofFile))).toBe(false);

    const history = await db().selectFrom('history').selectAll().where('user_id', '=', s.alice.id).orderBy('id').execute();
    const text = JSON.stringify(history);
    expect(text).not.toContain('ALICE-EFFORT-SECRET');
    expect(text).not.toContain('ALICE-PROOF-SECRET');
    expect(history.find((h) => h.field === 'effort')).toMatchObject({ old_value: null, new_value: 'good' });
    expect(history.filter((h) => h.field === 'status').map((h) => h.new_value).sort()).toEqual(['completed', 'withdrawn_valid']);
    expect(history.at(-1)).toMatchObject({ actor_id: admin.id, source: 'admin', note: 'anonymised', enrolment_id: null });

    // Nobody else's records change.
    expect(await db().selectFrom('history').selectAll().where('user_id', '=', s.bob.id).orderBy('id').execute()).toEqual(bobHistoryBefore);
    const bob = await db().selectFrom('enrolments').select('effort_comment').where('id', '=', s.bob.enrolments[0]!).executeTakeFirstOrThrow();
    expect(bob.effort_comment).toBe('BOB-EFFORT-SECRET');
  });

  it('leaves the certificate verifiable, under the anonymised name', async () => {
    const s = await makePrivacyScenario(db());
    const { name } = await anonymiseUser(db(), await adminActor(), s.alice.id);
    expect(await verifyCertificate(db(), s.alice.certificate.verification_code)).toMatchObject({
      kind: 'valid',
      number: s.alice.certificate.number,
      participantName: name,
      studyPoints: 3,
    });
  });

  it('stops the person from signing in, with the old address or the placeholder', async () => {
    const s = await makePrivacyScenario(db(), { password: 'alice-wachtwoord' });
    const { email } = await anonymiseUser(db(), await adminActor(), s.alice.id);
    for (const address of [s.alice.email, email]) {
      await expect(login(db(), { email: address, password: 'alice-wachtwoord', address: '198.51.100.1' }, policy)).rejects.toBeInstanceOf(InvalidCredentials);
    }
  });

  it('is for administrators only, refuses oneself and a second time, and changes nothing then', async () => {
    const s = await makePrivacyScenario(db());
    const admin = await adminActor();
    await expect(anonymiseUser(db(), { id: s.teacher.id, roles: ['teacher'], source: 'teacher_form' }, s.alice.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    await expect(anonymiseUser(db(), admin, 'unknown-user')).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    await expect(anonymiseUser(db(), admin, admin.id)).rejects.toEqual(new AnonymiseRefused('notYourself'));
    const untouched = await db().selectFrom('users').select(['name', 'anonymised_at']).where('id', '=', s.alice.id).executeTakeFirstOrThrow();
    expect(untouched).toEqual({ name: 'Alice Aerts', anonymised_at: null });

    await anonymiseUser(db(), admin, s.alice.id);
    const history = async () => db().selectFrom('history').select('id').where('user_id', '=', s.alice.id).execute();
    const count = (await history()).length;
    await expect(anonymiseUser(db(), admin, s.alice.id)).rejects.toEqual(new AnonymiseRefused('alreadyAnonymised'));
    expect((await history()).length).toBe(count);
  });
});
