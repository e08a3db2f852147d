import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Store } from '../db/index.ts';
import type { StatusCode } from '../db/schema.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeCertificate, makeCourse, makeRun, makeUser } from '../testing/factories.ts';
import { verifyCertificate } from './certificates.ts';
import { archiveCourse, cancelCourse, cancelRun, exemptEnrolment, LifecycleRefused, publishNextVersion } from './lifecycle.ts';
import { exemptionDirectory, storeEvidence } from './exemption-files.ts';
import { getMyEnrolment } from './participant.ts';
import { anonymiseUser } from './privacy-anonymise.ts';
import { RegistrationRefused, registerAttendance } from './register-attendance.ts';

const STATUSES: StatusCode[] = ['enrolled', 'started', 'completed', 'absent', 'withdrawn_valid'];

/** A run of a fresh course with one participant per status of STATUSES, an administrator and its teacher. */
async function scene(store: Store, courseId?: string) {
  const db = store.db;
  const admin = actorOf(await makeUser(db, ['admin']));
  const teacher = actorOf(await makeUser(db, ['teacher']));
  const run = await makeRun(db, { teacherId: teacher.id, courseId });
  const enrolments = [];
  for (const status of STATUSES) {
    const user = await makeUser(db);
    enrolments.push({ ...(await enrol(db, run, user.id, { status })), status });
  }
  return { admin, teacher, run, enrolments };
}

async function statuses(store: Store, ids: string[]) {
  const rows = await store.db.selectFrom('enrolments').select(['id', 'status']).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r.status]));
  return ids.map((id) => byId.get(id));
}

async function statusHistory(store: Store, ids: string[]) {
  return store.db
    .selectFrom('history')
    .select(['enrolment_id', 'source', 'actor_id', 'old_value', 'new_value', 'note'])
    .where('enrolment_id', 'in', ids)
    .where('field', '=', 'status')
    .orderBy('id')
    .execute();
}

async function refusedWith(promise: Promise<unknown>): Promise<readonly string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LifecycleRefused);
  return (error as LifecycleRefused).refusals;
}

describeEachDatabase('cancelling, archiving, versions and exemptions', (store) => {
  it('cancelling a run sets its open enrolments to Geannuleerd with the reason, keeps final statuses, and the run takes no more attendance', async () => {
    const { admin, teacher, run, enrolments } = await scene(store());
    const ids = enrolments.map((e) => e.id);
    const summary = await cancelRun(store().db, admin, run.id, '  Docent langdurig ziek  ');
    expect(summary).toEqual({ cancelled: 2, runs: 1 });
    expect(await statuses(store(), ids)).toEqual(['cancelled', 'cancelled', 'completed', 'absent', 'withdrawn_valid']);
    const runRow = await store().db.selectFrom('runs').select(['cancelled_at', 'cancel_reason']).where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(runRow.cancelled_at).not.toBeNull();
    expect(runRow.cancel_reason).toBe('Docent langdurig ziek');
    expect(await statusHistory(store(), ids)).toEqual([
      { enrolment_id: ids[0], source: 'admin', actor_id: admin.id, old_value: 'enrolled', new_value: 'cancelled', note: 'Docent langdurig ziek' },
      { enrolment_id: ids[1], source: 'admin', actor_id: admin.id, old_value: 'started', new_value: 'cancelled', note: 'Docent langdurig ziek' },
    ]);

    const save = registerAttendance(store().db, teacher, {
      runId: run.id,
      meetingIds: [run.meetings[0]!.id],
      allMeetings: false,
      ignoreMaximum: false,
      confirmEarlyCompletion: false,
      confirmOverwrites: false,
      rows: [],
    });
    await expect(save).rejects.toBeInstanceOf(RegistrationRefused);
    await save.catch((e: RegistrationRefused) => expect(e.formErrors).toContain('run_cancelled'));

    // Cancelled once is cancelled: a second cancellation is refused and writes nothing.
    expect(await refusedWith(cancelRun(store().db, admin, run.id, 'Nogmaals'))).toEqual(['already_cancelled']);
    expect(await statusHistory(store(), ids)).toHaveLength(2);
  });

  it('refuses a cancellation without a reason, and anyone but an administrator, and writes nothing', async () => {
    const { admin, teacher, run, enrolments } = await scene(store());
    expect(await refusedWith(cancelRun(store().db, admin, run.id, '   '))).toEqual(['reason_required']);
    expect(await refusedWith(cancelRun(store().db, admin, run.id, 'x'.repeat(1001)))).toEqual(['reason_too_long']);
    await expect(cancelRun(store().db, teacher, run.id, 'Geen zaal')).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    await expect(cancelCourse(store().db, teacher, run.courseId, 'Geen zaal')).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    expect(await statuses(store(), enrolments.map((e) => e.id))).toEqual(STATUSES);
    const runRow = await store().db.selectFrom('runs').select('cancelled_at').where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(runRow.cancelled_at).toBeNull();
  });

  it('cancelling a course cancels every run of it and every open enrolment, with or without a run; its runs take no more attendance', async () => {
    const course = await makeCourse(store().db);
    const first = await scene(store(), course.id);
    const second = await scene(store(), course.id);
    // An enrolment in the course without a run (an e-learning or a programme's course awaiting its run choice).
    const runless = await enrol(store().db, { id: first.run.id, courseId: course.id }, (await makeUser(store().db)).id, { status: 'run_choice_required' });
    await store().db.updateTable('enrolments').set({ run_id: null }).where('id', '=', runless.id).execute();
    const summary = await cancelCourse(store().db, first.admin, course.id, 'Opleiding geschrapt');
    expect(summary).toEqual({ cancelled: 5, runs: 2 });
    expect(await statuses(store(), [runless.id])).toEqual(['cancelled']);
    for (const s of [first, second]) {
      expect(await statuses(store(), s.enrolments.map((e) => e.id))).toEqual(['cancelled', 'cancelled', 'completed', 'absent', 'withdrawn_valid']);
      const run = await store().db.selectFrom('runs').select(['cancelled_at', 'cancel_reason']).where('id', '=', s.run.id).executeTakeFirstOrThrow();
      expect(run.cancel_reason).toBe('Opleiding geschrapt');
      const save = registerAttendance(store().db, s.teacher, {
        runId: s.run.id,
        meetingIds: [s.run.meetings[0]!.id],
        allMeetings: false,
        ignoreMaximum: false,
        confirmEarlyCompletion: false,
        confirmOverwrites: false,
        rows: [{ enrolmentId: s.enrolments[0]!.id, version: 2, present: true, status: null, effort: null, effortComment: '', proofNote: '', proofFile: null }],
      });
      await save.then(
        () => expect.unreachable('a cancelled course took attendance'),
        (e: unknown) => expect((e as RegistrationRefused).formErrors).toContain('run_cancelled'),
      );
    }
    const courseRow = await store().db.selectFrom('courses').select(['cancelled_at', 'cancel_reason']).where('id', '=', course.id).executeTakeFirstOrThrow();
    expect(courseRow.cancel_reason).toBe('Opleiding geschrapt');
  });

  it('publishes version n+1 as a copy of the settings, only from the latest version', async () => {
    const db = store().db;
    const admin = actorOf(await makeUser(db, ['admin']));
    const course = await makeCourse(db, { maxPoints: 7.5, kind: 'exam' });
    await db.updateTable('courses').set({ study_term_days: 90, knowledge_centre_url: 'https://kc.example/ehbo' }).where('id', '=', course.id).execute();
    const next = await publishNextVersion(db, admin, course.id);
    expect(next.version).toBe(2);
    const [v1, v2] = await Promise.all([course.id, next.courseId].map((id) => db.selectFrom('courses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
    expect(v2).toMatchObject({
      code: v1!.code,
      title: v1!.title,
      kind: 'exam',
      max_study_points: 7.5,
      study_term_days: 90,
      knowledge_centre_url: 'https://kc.example/ehbo',
      version: 2,
      replaces_course_id: course.id,
      archived_at: null,
      cancelled_at: null,
    });
    expect(await refusedWith(publishNextVersion(db, admin, course.id))).toEqual(['newer_version_exists']);
    expect((await publishNextVersion(db, admin, next.courseId)).version).toBe(3);
    await expect(publishNextVersion(db, actorOf(await makeUser(db, ['teacher'])), next.courseId)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
  });

  it('archiving version n sets its open enrolments to Gearchiveerd; history and certificates of version n stay readable', async () => {
    const { admin, run, enrolments } = await scene(store());
    const completed = enrolments[2]!;
    const certificate = await makeCertificate(store().db, { enrolmentId: completed.id, userId: completed.userId, courseId: run.courseId });
    await publishNextVersion(store().db, admin, run.courseId);
    expect(await archiveCourse(store().db, admin, run.courseId)).toEqual({ archived: 2 });
    expect(await statuses(store(), enrolments.map((e) => e.id))).toEqual(['archived', 'archived', 'completed', 'absent', 'withdrawn_valid']);
    expect((await statusHistory(store(), [enrolments[0]!.id]))[0]).toMatchObject({ source: 'admin', old_value: 'enrolled', new_value: 'archived', note: 'course_archived' });
    expect(await verifyCertificate(store().db, certificate.verificationCode)).toMatchObject({ kind: 'valid' });
    const owner = { id: completed.userId, roles: ['participant' as const], source: 'participant' as const };
    const detail = await getMyEnrolment(store().db, owner, completed.id);
    expect(detail.certificates.map((c) => c.revoked_at)).toEqual([null]);
    const archivedOwner = { id: enrolments[0]!.userId, roles: ['participant' as const], source: 'participant' as const };
    const archivedDetail = await getMyEnrolment(store().db, archivedOwner, enrolments[0]!.id);
    expect(archivedDetail.history.rows.map((h) => h.new_value)).toContain('archived');
    expect(await refusedWith(archiveCourse(store().db, admin, run.courseId))).toEqual(['already_archived']);
  });

  it('exempts one participant on an exemption file; only administrators, only from an open status', async () => {
    const { admin, teacher, run, enrolments } = await scene(store());
    await exemptEnrolment(store().db, admin, enrolments[0]!.id, { reason: 'Diploma EHBO 2025 voorgelegd', evidenceKey: '01TEST.pdf' });
    const row = await store().db.selectFrom('enrolments').select(['status', 'exemption_reason', 'exemption_file', 'version']).where('id', '=', enrolments[0]!.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'exempted', exemption_reason: 'Diploma EHBO 2025 voorgelegd', exemption_file: '01TEST.pdf', version: 2 });
    expect(await statusHistory(store(), [enrolments[0]!.id])).toEqual([
      { enrolment_id: enrolments[0]!.id, source: 'admin', actor_id: admin.id, old_value: 'enrolled', new_value: 'exempted', note: 'Diploma EHBO 2025 voorgelegd' },
    ]);
    expect(await refusedWith(exemptEnrolment(store().db, admin, enrolments[0]!.id, { reason: 'Opnieuw', evidenceKey: null }))).toEqual(['already_exempted']);
    expect(await refusedWith(exemptEnrolment(store().db, admin, enrolments[2]!.id, { reason: '', evidenceKey: null }))).toEqual(['reason_required', 'final_status']);
    await expect(exemptEnrolment(store().db, teacher, enrolments[1]!.id, { reason: 'Ik wil dit', evidenceKey: null })).rejects.toBeInstanceOf(NotFoundOrNoAccess);

    // The teacher's own form cannot set an admin-only status either, whatever it sends (R1).
    for (const status of ['exempted', 'archived'] as const) {
      const save = registerAttendance(store().db, teacher, {
        runId: run.id,
        meetingIds: [],
        allMeetings: false,
        ignoreMaximum: false,
        confirmEarlyCompletion: false,
        confirmOverwrites: false,
        rows: [{ enrolmentId: enrolments[1]!.id, version: 1, present: false, status, effort: null, effortComment: '', proofNote: '', proofFile: null }],
      });
      await save.then(
        () => expect.unreachable(`a teacher set ${status}`),
        (e: unknown) => expect((e as RegistrationRefused).rowErrors.get(enrolments[1]!.id)).toEqual(['admin_only_status']),
      );
    }
    expect(await statuses(store(), [enrolments[1]!.id])).toEqual(['started']);
  });

  it('anonymising an exempted person deletes their exemption evidence and forgets its key', async () => {
    const { admin, enrolments } = await scene(store());
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'presentia-evidence-'));
    try {
      const stored = await storeEvidence(dataDir, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]));
      expect(stored).toMatchObject({ key: expect.stringMatching(/\.png$/) });
      const key = (stored as { key: string }).key;
      await exemptEnrolment(store().db, admin, enrolments[0]!.id, { reason: 'Attest', evidenceKey: key });
      expect(existsSync(path.join(exemptionDirectory(dataDir), key))).toBe(true);
      await anonymiseUser(store().db, admin, enrolments[0]!.userId, { dataDir });
      expect(existsSync(path.join(exemptionDirectory(dataDir), key))).toBe(false);
      const row = await store().db.selectFrom('enrolments').select(['status', 'exemption_file']).where('id', '=', enrolments[0]!.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'exempted', exemption_file: null });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
