import { expect, it } from 'vitest';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { openSession } from './auth.ts';
import { exportPersonalData, PERSONAL_DATA_FORMAT } from './privacy.ts';
import { makePrivacyScenario } from '../testing/privacy-scenario.ts';

const policy = { maxHours: 12, idleMinutes: 120 };

describeEachDatabase('exportPersonalData', (store) => {
  const db = () => store().db;

  it('holds the person’s profile, roles, enrolments, attendance, certificates, history and sessions', async () => {
    const s = await makePrivacyScenario(db());
    const token = await openSession(db(), s.alice.id, policy);
    await openSession(db(), s.alice.id, policy);
    const data = await exportPersonalData(db(), { id: s.alice.id, roles: ['participant'], source: 'participant' }, { sessionToken: token });

    expect(data.format).toBe(PERSONAL_DATA_FORMAT);
    expect(data.profile).toMatchObject({ id: s.alice.id, name: 'Alice Aerts', email: s.alice.email, locale: 'en', anonymisedAt: null });
    expect(data.profile).not.toHaveProperty('password_hash');
    expect(JSON.stringify(data)).not.toContain('$argon2');
    expect(data.roles).toEqual(['participant']);

    expect(data.enrolments.map((e) => e.id).sort()).toEqual([...s.alice.enrolments].sort());
    const past = data.enrolments.find((e) => e.id === s.alice.enrolments[0])!;
    expect(past).toMatchObject({ status: 'completed', effort: 'good', effortComment: 'ALICE-EFFORT-SECRET: vraagt veel', studyPoints: 3 });
    expect(past.attendance).toHaveLength(2);
    expect(past.attendance.every((a) => a.present === true && a.studyPoints === 1.5)).toBe(true);
    const future = data.enrolments.find((e) => e.id === s.alice.enrolments[1])!;
    expect(future).toMatchObject({ status: 'withdrawn_valid', forceMajeureNote: 'ALICE-PROOF-SECRET doktersbriefje', forceMajeureFileKept: true });
    expect(future.withdrawnOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    expect(data.certificates).toEqual([expect.objectContaining({ number: s.alice.certificate.number, verificationCode: s.alice.certificate.verification_code, revokedAt: null })]);
    expect(data.history.length).toBeGreaterThanOrEqual(6);
    expect(new Set(data.history.map((h) => h.field))).toEqual(new Set(['attendance', 'points', 'status', 'certificate', 'effort', 'withdrawal']));
    expect(data.history.every((h) => h.bySelf === false && h.source === 'teacher_form')).toBe(true);

    expect(data.sessions).toHaveLength(2);
    expect(data.sessions.filter((x) => x.current)).toHaveLength(1);
    expect(data.sessions[0]).not.toHaveProperty('id');
  });

  it('holds nothing about anyone else, not even the teacher who changed the records', async () => {
    const s = await makePrivacyScenario(db());
    const text = JSON.stringify(await exportPersonalData(db(), { id: s.alice.id, roles: ['participant'], source: 'participant' }));
    for (const foreign of ['BOB-EFFORT-SECRET', 'Bob Bosmans', s.bob.id, s.bob.email, ...s.bob.enrolments, 'Docent Dora', s.teacher.id]) {
      expect(text).not.toContain(foreign);
    }
  });

  it('gives a teacher the runs they teach, and none of their participants’ data', async () => {
    const s = await makePrivacyScenario(db());
    const data = await exportPersonalData(db(), { id: s.teacher.id, roles: ['teacher'], source: 'participant' });
    expect(data.teaching).toHaveLength(2);
    expect(data.enrolments).toEqual([]);
    expect(data.history).toEqual([]);
    const text = JSON.stringify(data);
    for (const foreign of ['ALICE', 'BOB', 'Alice Aerts', 'Bob Bosmans', s.alice.email, s.bob.email]) expect(text).not.toContain(foreign);
  });

  it('answers an unknown person with "not found or no access"', async () => {
    await expect(exportPersonalData(db(), { id: 'nobody', roles: ['participant'], source: 'participant' })).rejects.toBeInstanceOf(NotFoundOrNoAccess);
  });
});
