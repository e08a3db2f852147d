import type { Db } from '../db/index.ts';
import { buildTranscript, type TranscriptCourse, type TranscriptYear } from '../domain/transcript.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { listCreditedPoints } from '../repositories/study-points.ts';
import { getUserWithRoles } from '../repositories/users.ts';
import type { Messages } from '../i18n/index.ts';
import type { Actor } from './actor.ts';
import type { Column } from './exports/table-export.ts';

export interface StudyPointsTranscript {
  person: { id: string; name: string };
  years: TranscriptYear[];
  total: number;
}

/** Whether the actor may see this person's transcript: the person, or an administrator. */
export function mayReadTranscript(actor: Pick<Actor, 'id' | 'roles'>, personId: string): boolean {
  return actor.id === personId || actor.roles.includes('admin');
}

/**
 * A person's study-points transcript (**Mijn studiepunten**): per calendar year and course, the
 * points credited and those credited past the maximum by an override. The person may read their own;
 * administrators anyone's; everyone else is told the person does not exist.
 */
export async function getTranscript(db: Db, actor: Actor, personId: string): Promise<StudyPointsTranscript> {
  if (!mayReadTranscript(actor, personId)) throw new NotFoundOrNoAccess();
  const [person, rows] = await Promise.all([getUserWithRoles(db, personId), listCreditedPoints(db, personId)]);
  if (!person) throw new NotFoundOrNoAccess();
  return { person: { id: person.id, name: person.name }, ...buildTranscript(rows) };
}

export interface TranscriptCsvRow extends TranscriptCourse {
  year: number;
}

/** The transcript flattened for a CSV: one line per year and course. */
export function transcriptRows(transcript: StudyPointsTranscript): TranscriptCsvRow[] {
  return transcript.years.flatMap((y) => y.courses.map((c) => ({ ...c, year: y.year })));
}

/** The transcript's CSV columns in the reader's language. */
export function transcriptColumns(t: Messages): Column<TranscriptCsvRow>[] {
  const tt = t.transcript;
  return [
    { header: tt.year, type: 'number', value: (r) => r.year },
    { header: tt.course, type: 'text', value: (r) => r.courseTitle },
    { header: tt.courseCode, type: 'text', value: (r) => r.courseCode },
    { header: tt.points, type: 'number', value: (r) => r.points },
    { header: tt.overridden, type: 'number', value: (r) => r.overriddenPoints },
    { header: tt.maximum, type: 'number', value: (r) => r.maxStudyPoints },
  ];
}
