import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import { addDays, brusselsDate } from '../domain/dates.ts';
import { planProgrammeEnrolment } from '../domain/participant-lifecycle.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import type { RunPlaces } from '../domain/capacity.ts';
import { insertEnrolments } from '../repositories/enrolments.ts';
import { appendHistory, enrolmentHistory } from '../repositories/history.ts';
import { getProgramme, listFollowedCourses, listOpenRuns, listProgrammeCourses } from '../repositories/programmes.ts';
import { getUserByEmail } from '../repositories/users.ts';
import type { Actor } from './actor.ts';
import { loadRunPlaces } from './run-places.ts';
import { enqueueMails } from './mail-outbox.ts';

export interface ProgrammeEnrolmentResult {
  programmeTitle: string;
  /** One line per course the programme has: how the person was enrolled, or that they already follow it. */
  courses: { courseId: string; title: string; outcome: 'enrolled' | 'not_started' | 'run_choice_required' | 'already_following' }[];
}

/**
 * Enrols a person in a programme (administrators only): one enrolment per course of the programme
 * they do not already follow (see `planProgrammeEnrolment`), in one transaction with history (R9).
 * Where a course has several open runs the enrolment waits for the participant's run choice.
 */
export async function enrolInProgramme(
  db: Kysely<Database>,
  actor: Actor,
  input: { userId: string; programmeId: string },
  now: Date = new Date(),
): Promise<ProgrammeEnrolmentResult> {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
  return db.transaction().execute(async (trx) => {
    const programme = await getProgramme(trx, input.programmeId);
    const person = await trx.selectFrom('users').select('id').where('id', '=', input.userId).where('anonymised_at', 'is', null).executeTakeFirst();
    if (!programme || !person) throw new NotFoundOrNoAccess();
    const courses = await listProgrammeCourses(trx, programme.id);
    const ids = courses.map((c) => c.id);
    const today = brusselsDate(now);
    const [openRuns, following] = await Promise.all([listOpenRuns(trx, ids, today), listFollowedCourses(trx, person.id, ids)]);
    // A course's only open run may take the person: lock it and count its places (run-places.ts),
    // in one order of run ids so that two enrolments never wait on each other.
    const onlyRuns = courses
      .map((c) => openRuns.filter((r) => r.course_id === c.id))
      .filter((runs) => runs.length === 1)
      .map((runs) => runs[0]!.id)
      .sort();
    const places = new Map<string, RunPlaces>();
    for (const runId of onlyRuns) places.set(runId, (await loadRunPlaces(trx, runId))!.places);
    const plans = planProgrammeEnrolment(
      courses.map((c) => ({
        courseId: c.id,
        kind: c.kind,
        openRuns: openRuns.filter((r) => r.course_id === c.id).map((r) => ({ id: r.id, places: places.get(r.id) })),
      })),
      following,
    );
    const at = nowIso(now);
    const termDays = new Map(courses.map((c) => [c.id, c.study_term_days ?? programme.study_term_days]));
    const rows = plans.map((p) => {
      const days = termDays.get(p.courseId);
      return {
        id: newId(),
        user_id: person.id,
        course_id: p.courseId,
        run_id: p.runId,
        programme_id: programme.id,
        status: p.status,
        status_changed_at: at,
        enrolled_at: at,
        term_ends_on: days == null ? null : addDays(today, days),
        version: 1,
        updated_at: at,
      };
    });
    await insertEnrolments(trx, rows);
    await appendHistory(
      trx,
      rows.map((r) => enrolmentHistory(actor, at, r, { field: 'status', old_value: null, new_value: r.status, note: `programme:${programme.id}` })),
    );
    // Uitvoeringskeuze vereist: the participant hears, in one e-mail, which courses wait for their choice.
    const toChoose = courses.filter((c) => rows.some((r) => r.course_id === c.id && r.status === 'run_choice_required')).map((c) => c.title);
    if (toChoose.length > 0) {
      await enqueueMails(trx, [{ userId: person.id, payload: { kind: 'run_choice_required', programmeTitle: programme.title, courseTitles: toChoose } }], at);
    }
    const planned = new Map(plans.map((p) => [p.courseId, p.status]));
    return {
      programmeTitle: programme.title,
      courses: courses.map((c) => ({
        courseId: c.id,
        title: c.title,
        outcome: (planned.get(c.id) as 'enrolled' | 'not_started' | 'run_choice_required' | undefined) ?? 'already_following',
      })),
    };
  });
}

/** The same, for a person named by e-mail address (the command line's way). */
export async function enrolInProgrammeByEmail(db: Kysely<Database>, actor: Actor, input: { email: string; programmeId: string }, now?: Date) {
  const user = await getUserByEmail(db, input.email);
  if (!user) throw new NotFoundOrNoAccess();
  return enrolInProgramme(db, actor, { userId: user.id, programmeId: input.programmeId }, now);
}
