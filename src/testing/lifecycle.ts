import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import type { StatusCode } from '../db/schema.ts';
import { strToU8, zipSync } from 'fflate';
import type { Actor } from '../services/actor.ts';
import { enrol, makeRun } from './factories.ts';
import { addKnowledgeCentreFile, saveKnowledgeCentreText, uploadElearningModule } from '../services/course-content.ts';

/** Builders for the participant's own actions: the participant as actor, programmes, enrolments without a run. */

export function participantActorOf(user: { id: string }): Actor {
  return { id: user.id, roles: ['participant'], source: 'participant' };
}

export function adminActorOf(user: { id: string }): Actor {
  return { id: user.id, roles: ['admin'], source: 'admin' };
}

/** A programme of these courses, in this order. */
export async function makeProgramme(db: Kysely<Database>, courseIds: readonly string[], title = 'Veiligheid op de werkvloer') {
  const id = newId();
  await db.insertInto('programmes').values({ id, title, study_term_days: 365, created_at: nowIso() }).execute();
  await db
    .insertInto('programme_courses')
    .values(courseIds.map((courseId, position) => ({ programme_id: id, course_id: courseId, position })))
    .execute();
  return { id, title };
}

/** An enrolment in a course with no run (e-learning, or a programme course waiting for a run choice). */
export async function enrolInCourse(db: Kysely<Database>, courseId: string, userId: string, status: StatusCode) {
  const id = newId();
  const at = nowIso();
  await db
    .insertInto('enrolments')
    .values({ id, user_id: userId, course_id: courseId, run_id: null, programme_id: null, status, status_changed_at: at, enrolled_at: at, version: 1, updated_at: at })
    .execute();
  return { id, userId };
}

/** The test apps' data folder (see testing/http.ts). */
export const TEST_DATA_DIR = `/tmp/presentia-test-${process.pid}`;

/** A small e-learning package: an entry page that runs a script of its own. */
export function modulePackage(extra: Record<string, string> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'index.html': strToU8('<!DOCTYPE html><html lang="nl"><head><title>Module</title><script src="app.js"></script></head><body><h1>Welkom in de module</h1><p id="out"></p></body></html>'),
    'app.js': strToU8("document.addEventListener('DOMContentLoaded', () => { document.getElementById('out').textContent = 'Module geladen'; });"),
  };
  for (const [name, text] of Object.entries(extra)) files[name] = strToU8(text);
  return zipSync(files);
}

/** The smallest valid PDF header with a body: enough for a type check by content. */
export const PDF_BYTES = strToU8('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** A knowledge centre (text and one file) and an e-learning module for a course, through the services. */
export async function makeCourseContent(db: Kysely<Database>, courseId: string, adminId: string, dataDir = TEST_DATA_DIR) {
  const admin = adminActorOf({ id: adminId });
  await saveKnowledgeCentreText(db, admin, courseId, '# Welkom\n\nLees [de brochure](https://example.org/brochure).');
  const file = await addKnowledgeCentreFile(db, dataDir, admin, courseId, { name: 'cursus.pdf', content: PDF_BYTES });
  if (!file.ok) throw new Error(file.reason);
  const module = await uploadElearningModule(db, dataDir, admin, courseId, modulePackage());
  if (!module.ok) throw new Error(module.reason);
  const fileRow = await db.selectFrom('knowledge_centre_files').select('id').where('course_id', '=', courseId).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const moduleRow = await db.selectFrom('elearning_modules').select('storage_key').where('course_id', '=', courseId).executeTakeFirstOrThrow();
  return { fileId: fileRow.id, moduleKey: moduleRow.storage_key };
}

/**
 * For the participant's own actions: course content on `courseId`, an enrolment of the participant in
 * a run of that course starting in three weeks, and one waiting for a run choice in another course.
 */
export async function makeLifecycleFixture(db: Kysely<Database>, ids: { participantId: string; teacherId: string; adminId: string; courseId: string }) {
  const content = await makeCourseContent(db, ids.courseId, ids.adminId);
  const futureRun = await makeRun(db, { teacherId: ids.teacherId, courseId: ids.courseId, meetingDays: [21, 28] });
  const futureEnrolment = await enrol(db, futureRun, ids.participantId);
  const choiceRun = await makeRun(db, { teacherId: ids.teacherId, meetingDays: [30] });
  await makeRun(db, { teacherId: ids.teacherId, courseId: choiceRun.courseId, meetingDays: [40] });
  const choice = await enrolInCourse(db, choiceRun.courseId, ids.participantId, 'run_choice_required');
  return {
    ...content,
    futureEnrolmentId: futureEnrolment.id,
    futureMeetingId: futureRun.meetings[0]!.id,
    choiceEnrolmentId: choice.id,
    choiceRunId: choiceRun.id,
  };
}
