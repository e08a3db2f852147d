import { z } from 'zod';
import type { EffortRating, StatusCode } from '../../db/schema.ts';
import { isStatusCode } from '../../domain/study-status.ts';
import { MAX_PROOF_BYTES } from '../../domain/upload.ts';
import { decodeSeen } from '../../domain/registration/seen.ts';
import type { RegistrationInput, Resolution } from '../../services/register-attendance.ts';

/** What the teacher typed into one row, kept as entered so a refused form comes back intact. */
export interface EnteredRow {
  present: boolean;
  status: string;
  effort: string;
  comment: string;
  proofNote: string;
  /** A proof file stored by an earlier step of this save (confirmation screen). */
  proofFileKey: string;
  /** The withdrawal date entered (R4), `YYYY-MM-DD` or empty. */
  withdrawnOn: string;
  /** Why an administrator corrects a status (R1). */
  reason: string;
  /** What the page showed of the row (R11), as its hidden field carried it. */
  seen: string;
  /** Choices made on the conflict screen: value key → `theirs` or `mine:<fingerprint>`. */
  resolutions: Map<string, string>;
}

export interface EnteredForm {
  rows: Map<string, EnteredRow>;
  meetingIds: string[];
  allMeetings: boolean;
  ignoreMaximum: boolean;
  /** The page's meeting ids in order, for reading the rows' `seen` fields. */
  seenMeetings: string;
}

export type FieldErrorKey = 'invalid_value' | 'comment_too_long' | 'note_too_long' | 'proof_file_type' | 'proof_file_size';

const MAX_TEXT = 1000;
const EFFORTS: readonly EffortRating[] = ['excellent', 'good', 'sufficient', 'insufficient'];
export const PROOF_KEY = /^[0-9A-HJKMNP-TV-Z]{26}\.(pdf|png|jpg)$/;

const idSchema = z.string().min(1).max(64).regex(/^[\w-]+$/);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A value key of the conflict screen: `status`, `effort` or `attendance.<meetingId>`. */
const RESOLUTION_KEY = /^(status|effort|attendance\.[\w-]{1,64})$/;
const RESOLUTION = /^(theirs|mine:[\w.-]{1,64})$/;

function isRealDate(value: string): boolean {
  return DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/** The conflict screen's choices of one row, from fields `resolve.<id>.<key>`. */
function resolutionsOf(body: Body, id: string): Map<string, string> {
  const prefix = `resolve.${id}.`;
  const out = new Map<string, string>();
  for (const name of Object.keys(body)) {
    if (!name.startsWith(prefix)) continue;
    const key = name.slice(prefix.length);
    const value = text(body, name);
    if (RESOLUTION_KEY.test(key) && RESOLUTION.test(value)) out.set(key, value);
  }
  return out;
}

function toResolution(value: string): Resolution {
  return value === 'theirs' ? { choice: 'theirs' } : { choice: 'mine', over: value.slice('mine:'.length) };
}

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
    seenMeetings: text(body, 'seenMeetings'),
  };
  const seenMeetings = entered.seenMeetings === '' ? [] : entered.seenMeetings.split(',');
  const rows: RegistrationInput['rows'][number][] = [];
  for (const id of rowIds) {
    const row: EnteredRow = {
      present: text(body, `present.${id}`) === '1',
      status: text(body, `status.${id}`),
      effort: text(body, `effort.${id}`),
      comment: text(body, `comment.${id}`),
      proofNote: text(body, `proofNote.${id}`),
      proofFileKey: text(body, `proofFileKey.${id}`),
      withdrawnOn: text(body, `withdrawnOn.${id}`),
      reason: text(body, `reason.${id}`),
      seen: text(body, `seen.${id}`),
      resolutions: resolutionsOf(body, id),
    };
    entered.rows.set(id, row);
    const status: StatusCode | null = row.status === '' ? null : isStatusCode(row.status) ? row.status : null;
    if (row.status !== '' && !status) addError(id, 'invalid_value');
    const effort = row.effort === '' ? null : (EFFORTS as readonly string[]).includes(row.effort) ? (row.effort as EffortRating) : null;
    if (row.effort !== '' && !effort) addError(id, 'invalid_value');
    if (row.comment.length > MAX_TEXT) addError(id, 'comment_too_long');
    if (row.proofNote.length > MAX_TEXT) addError(id, 'note_too_long');
    if (row.reason.length > MAX_TEXT) addError(id, 'note_too_long');
    if (row.withdrawnOn !== '' && !isRealDate(row.withdrawnOn)) addError(id, 'invalid_value');
    const seen = row.seen === '' ? undefined : decodeSeen(row.seen, seenMeetings);
    if (row.seen !== '' && !seen) addError(id, 'invalid_value');
    if (row.proofFileKey && !PROOF_KEY.test(row.proofFileKey)) addError(id, 'invalid_value');
    const file = proofFileOf(body, id);
    if (file && file.size > MAX_PROOF_BYTES) addError(id, 'proof_file_size');
    const version = Number(text(body, `version.${id}`));
    rows.push({
      enrolmentId: id,
      version: Number.isInteger(version) ? version : -1,
      seen,
      resolutions: new Map([...row.resolutions].map(([k, v]) => [k, toResolution(v)])),
      withdrawnOn: isRealDate(row.withdrawnOn) ? row.withdrawnOn : null,
      reason: row.reason,
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

