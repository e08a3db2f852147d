import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { EffortRating, StatusCode } from '../db/schema.ts';
import { registerAttendance } from '../services/register-attendance.ts';
import { actorOf } from './factories.ts';

/**
 * Test helper for the participant and certificate suites: a teacher presses **Doorgaan** for one
 * participant, exactly as the participants page would send it (current version, all meetings or
 * none), so the participant's side is tested against data the real registration wrote.
 */
export async function teacherSaves(
  db: Kysely<Database>,
  teacher: { id: string; roles: ('participant' | 'teacher' | 'admin')[] },
  runId: string,
  enrolmentId: string,
  entry: {
    present?: boolean;
    allMeetings?: boolean;
    meetingIds?: string[];
    status?: StatusCode | null;
    effort?: EffortRating | null;
    effortComment?: string;
  },
) {
  const { version } = await db.selectFrom('enrolments').select('version').where('id', '=', enrolmentId).executeTakeFirstOrThrow();
  const outcome = await registerAttendance(db, actorOf(teacher), {
    runId,
    meetingIds: entry.meetingIds ?? [],
    allMeetings: entry.allMeetings ?? false,
    ignoreMaximum: false,
    // Tests here are about what the participant sees afterwards, not about the confirmation screens.
    confirmEarlyCompletion: true,
    confirmOverwrites: true,
    rows: [
      {
        enrolmentId,
        version,
        present: entry.present ?? false,
        status: entry.status ?? null,
        effort: entry.effort ?? null,
        effortComment: entry.effortComment ?? '',
        proofNote: '',
        proofFile: null,
      },
    ],
  });
  if (outcome.kind !== 'saved') throw new Error(`registration not saved: ${JSON.stringify(outcome)}`);
  return outcome.summary;
}
