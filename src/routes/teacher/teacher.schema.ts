import { z } from 'zod';
import type { EffortRating, StatusCode } from '../../db/schema.ts';
import { isStatusCode } from '../../domain/study-status.ts';
import { MAX_PROOF_BYTES } from '../../domain/upload.ts';
import type { RegistrationInput } from '../../services/register-attendance.ts';

/** What the teacher typed into one row, kept as entered so a refused form comes back intact. */
export interface EnteredRow {
  present: boolean;
  status: string;
  effort: string;
  comment: string;
  proofNote: string;
  /** A proof file stored by an earlier step of this save (confirmation screen). */
  proofFileKey: string;
}

export interface EnteredForm {
  rows: Map<string, EnteredRow>;
  meetingIds: string[];
  allMeetings: boolean;
  ignoreMaximum: boolean;
}

export type FieldErrorKey = 'invalid_value' | 'comment_too_long' | 'note_too_long' | 'proof_file_type' | 'proof_file_size';

const MAX_TEXT = 1000;
const EFFORTS: readonly EffortRating[] = ['excellent', 'good', 'sufficient', 'insufficient'];
export const PROOF_KEY = /^[0-9A-HJKMNP-TV-Z]{26}\.(pdf|png|jpg)$/;

const idSchema = z.string().min(1).max(64).regex(/^[\w-]+$/);

type Body = Record<string, string | File | (string | File)[]>;

function text(body: Body, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

function list(body: Body, name: string): string[] {
  const v = body[name];
  const values = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return values.filter((x): x is string => typeof x === 'string');
}

/** A proof file sent with a row, if any (an empty file input sends an empty file). */
export function proofFileOf(body: Body, enrolmentId: string): File | undefined {
  const v = body[`proofFile.${enrolmentId}`];
  const first = Array.isArray(v) ? v[0] : v;
  return first instanceof File && first.size > 0 ? first : undefined;
}

/**
 * Reads the participants form (`parseBody({ all: true })`) into the service's input plus what was
 * entered, with per-row problems that the service never has to see.
 */
export function parseRegistrationForm(body: Body, runId: string) {
  const rowIds = [...new Set(list(body, 'row').filter((id) => idSchema.safeParse(id).success))];
  const fieldErrors = new Map<string, FieldErrorKey[]>();
  const addError = (id: string, key: FieldErrorKey) => fieldErrors.set(id, [...(fieldErrors.get(id) ?? []), key]);
  const entered: EnteredForm = {
    rows: new Map(),
    meetingIds: [...new Set(list(body, 'meeting').filter((id) => idSchema.safeParse(id).success))],
    allMeetings: text(body, 'allMeetings') === '1',
    ignoreMaximum: text(body, 'ignoreMaximum') === '1',
  };
  const rows: RegistrationInput['rows'][number][] = [];
  for (const id of rowIds) {
    const row: EnteredRow = {
      present: text(body, `present.${id}`) === '1',
      status: text(body, `status.${id}`),
      effort: text(body, `effort.${id}`),
      comment: text(body, `comment.${id}`),
      proofNote: text(body, `proofNote.${id}`),
      proofFileKey: text(body, `proofFileKey.${id}`),
    };
    entered.rows.set(id, row);
    const status: StatusCode | null = row.status === '' ? null : isStatusCode(row.status) ? row.status : null;
    if (row.status !== '' && !status) addError(id, 'invalid_value');
    const effort = row.effort === '' ? null : (EFFORTS as readonly string[]).includes(row.effort) ? (row.effort as EffortRating) : null;
    if (row.effort !== '' && !effort) addError(id, 'invalid_value');
    if (row.comment.length > MAX_TEXT) addError(id, 'comment_too_long');
    if (row.proofNote.length > MAX_TEXT) addError(id, 'note_too_long');
    if (row.proofFileKey && !PROOF_KEY.test(row.proofFileKey)) addError(id, 'invalid_value');
    const file = proofFileOf(body, id);
    if (file && file.size > MAX_PROOF_BYTES) addError(id, 'proof_file_size');
    const version = Number(text(body, `version.${id}`));
    rows.push({
      enrolmentId: id,
      version: Number.isInteger(version) ? version : -1,
      present: row.present,
      status,
      effort,
      effortComment: row.comment,
      proofNote: row.proofNote,
      proofFile: row.proofFileKey && PROOF_KEY.test(row.proofFileKey) ? row.proofFileKey : null,
    });
  }
  const input: RegistrationInput = {
    runId,
    meetingIds: entered.meetingIds,
    allMeetings: entered.allMeetings,
    ignoreMaximum: entered.ignoreMaximum,
    confirmEarlyCompletion: text(body, 'confirmEarly') === '1',
    confirmOverwrites: text(body, 'confirmOverwrites') === '1',
    rows,
  };
  return { input, entered, fieldErrors };
}

