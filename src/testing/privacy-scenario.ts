import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { onTestFinished } from 'vitest';
import type { Database } from '../db/index.ts';
import { hashPassword } from '../services/auth.ts';
import { saveRegistration, stageProofs } from '../services/proof-files.ts';
import { registerAttendance, type RowInput } from '../services/register-attendance.ts';
import { actorOf, enrol, makeRun, makeUser } from './factories.ts';

const PDF = new TextEncoder().encode('%PDF-1.4\n% proof\n');

function row(enrolmentId: string, extra: Partial<RowInput> = {}): RowInput {
  return { enrolmentId, version: 1, present: false, status: null, effort: null, effortComment: '', proofNote: '', proofFile: null, ...extra };
}

/**
 * Two participants with everything the export and the anonymisation must handle, written through
 * the real registration service: attendance with points, Voltooid with a certificate, an effort
 * comment, and for `alice` a withdrawal with a proof note and a stored proof file. Each person's
 * free text carries a unique marker, so a test can tell whose data a document holds.
 */
export async function makePrivacyScenario(db: Kysely<Database>, options: { password?: string } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'presentia-privacy-'));
  onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  const teacher = await makeUser(db, ['teacher'], 'Docent Dora');
  const alice = await makeUser(db, ['participant'], 'Alice Aerts');
  const bob = await makeUser(db, ['participant'], 'Bob Bosmans');
  const aliceEmail = `alice-${alice.id.toLowerCase()}@presentia.test`;
  const bobEmail = `bob-${bob.id.toLowerCase()}@presentia.test`;
  const passwordHash = await hashPassword(options.password ?? 'alice-wachtwoord');
  await db.updateTable('users').set({ email: aliceEmail, password_hash: passwordHash, locale: 'en' }).where('id', '=', alice.id).execute();
  await db.updateTable('users').set({ email: bobEmail }).where('id', '=', bob.id).execute();

  const actor = actorOf(teacher);
  const past = await makeRun(db, { teacherId: teacher.id, meetingDays: [-14, -7], points: 1.5 });
  const aliceInPast = await enrol(db, past, alice.id);
  const bobInPast = await enrol(db, past, bob.id);
  await registerAttendance(db, actor, {
    runId: past.id,
    meetingIds: [],
    allMeetings: true,
    ignoreMaximum: false,
    confirmEarlyCompletion: false,
    confirmOverwrites: false,
    rows: [
      row(aliceInPast.id, { present: true, status: 'completed', effort: 'good', effortComment: 'ALICE-EFFORT-SECRET: vraagt veel' }),
      row(bobInPast.id, { present: true, status: 'completed', effort: 'excellent', effortComment: 'BOB-EFFORT-SECRET' }),
    ],
  });

  const future = await makeRun(db, { teacherId: teacher.id, meetingDays: [5, 12] });
  const aliceInFuture = await enrol(db, future, alice.id, { withdrawnOn: new Date().toISOString().slice(0, 10) });
  const staged = await stageProofs(db, dataDir, actor, future.id, [{ enrolmentId: aliceInFuture.id, size: PDF.byteLength, read: async () => PDF }]);
  const stored = staged.get(aliceInFuture.id);
  if (!stored || !('key' in stored)) throw new Error('proof not stored');
  await saveRegistration(db, dataDir, actor, {
    runId: future.id,
    meetingIds: [],
    allMeetings: false,
    ignoreMaximum: false,
    confirmEarlyCompletion: false,
    confirmOverwrites: false,
    rows: [row(aliceInFuture.id, { status: 'withdrawn_valid', proofNote: 'ALICE-PROOF-SECRET doktersbriefje', proofFile: stored.key })],
  });

  const certificate = await db
    .selectFrom('certificates')
    .select(['verification_code', 'number'])
    .where('enrolment_id', '=', aliceInPast.id)
    .executeTakeFirstOrThrow();

  return {
    dataDir,
    teacher,
    alice: { ...alice, email: aliceEmail, enrolments: [aliceInPast.id, aliceInFuture.id], proofFile: stored.key, certificate },
    bob: { ...bob, email: bobEmail, enrolments: [bobInPast.id] },
    runs: { past, future },
  };
}
