import type { Insertable, Selectable } from 'kysely';
import type {
  AttendanceTable,
  CertificatesTable,
  EffortRating,
  EnrolmentsTable,
  HistorySource,
  HistoryTable,
  Role,
  StatusCode,
} from '../../db/schema.ts';
import type { ProofRefusal } from '../proof.ts';

/*
 * The save of the participants page (**Doorgaan**) as data: what the planner is given (the state
 * loaded for one run and what the teacher entered) and what it answers (refusals, conflicts,
 * confirmations still needed, or the rows to write). Nothing here does IO.
 */

export type AttendanceState = 'present' | 'absent' | 'reported_absent';

/** An enrolment row as stored, with the participant's name (for refusals, conflicts and confirmations). */
export type PlanEnrolment = Selectable<EnrolmentsTable> & { user_name: string };

export interface PlanMeeting {
  id: string;
  starts_at: string;
  ends_at: string;
  study_points: number;
}

export interface PlanAttendance {
  enrolment_id: string;
  meeting_id: string;
  present: 0 | 1 | null;
  reported_absent_at: string | null;
  study_points: number;
}

export interface PlanRun {
  id: string;
  course_id: string;
  starts_on: string;
  ends_on: string;
  cancelled_at: string | null;
  max_study_points: number;
}

export interface PlanActor {
  id: string;
  roles: readonly Role[];
  source: HistorySource;
}

/** The last change of an enrolment's status: who made it and what it replaced (from the history). */
export interface StatusChange {
  actorId: string | null;
  from: StatusCode | null;
}

/** Everything the rules need, loaded for one run at the moment of the save. */
export interface RegistrationState {
  actor: PlanActor;
  /** The instant of the save (ISO-8601 UTC). */
  now: string;
  run: PlanRun;
  /** In time order. */
  meetings: readonly PlanMeeting[];
  enrolments: readonly PlanEnrolment[];
  attendance: readonly PlanAttendance[];
  /** Study points each participant (by user id) holds for the course from other enrolments (R5). */
  creditedElsewhere: ReadonlyMap<string, number>;
  /** The last status change of enrolments in an inactive status, by enrolment id (R1 corrections). */
  lastStatusChanges: ReadonlyMap<string, StatusChange>;
  /** The stored proof files that the rows name, with the enrolment each was stored for (R4). */
  storedProofs: readonly StoredProof[];
}

export interface StoredProof {
  key: string;
  enrolment_id: string;
}

/**
 * What the page showed of one participant when it was loaded (R11): the status, a fingerprint of the
 * effort and its comment, and a fingerprint of each meeting's attendance and points.
 */
export interface SeenValues {
  status: StatusCode;
  effort: string;
  /** By meeting id; a meeting missing here was not on the page (shown as nothing recorded). */
  cells: ReadonlyMap<string, string>;
}

/** The teacher's choice for one conflicting value (R11). `over` is the colleague's value it was shown. */
export type Resolution = { choice: 'mine'; over: string } | { choice: 'theirs' };

/** What the teacher entered for one participant. */
export interface RowInput {
  enrolmentId: string;
  /** The enrolment's version when the page was loaded; used for R11 when `seen` is not given. */
  version: number;
  /** The values the page showed (R11); when given, conflicts are judged per value. */
  seen?: SeenValues | undefined;
  /** Choices made on the conflict screen, by value key (`status`, `effort`, `attendance.<meetingId>`). */
  resolutions?: ReadonlyMap<string, Resolution> | undefined;
  present: boolean;
  /** The chosen status, or null for "no change". */
  status: StatusCode | null;
  /** The day the participant withdrew (R4), when a withdrawn status is chosen; default: the known date, else today. */
  withdrawnOn?: string | null | undefined;
  /** Why an administrator corrects a status (R1), recorded in the history. */
  reason?: string | undefined;
  effort: EffortRating | null;
  effortComment: string;
  /** Leaves effort and comment as they are, whatever `effort` says (the API's rows that name no effort). */
  keepEffort?: boolean | undefined;
  /** A note that proof of force majeure was seen (R4). */
  proofNote: string;
  /** A stored proof file's key, when one was uploaded with this save (R4). */
  proofFile: string | null;
}

/** One press of **Doorgaan**. */
export interface RegistrationInput {
  runId: string;
  meetingIds: readonly string[];
  allMeetings: boolean;
  ignoreMaximum: boolean;
  confirmEarlyCompletion: boolean;
  confirmOverwrites: boolean;
  rows: readonly RowInput[];
}

/** i18n keys under `registration.errors`. */
export type RowErrorKey =
  | 'unknown_enrolment'
  | 'inactive_enrolment'
  | 'admin_only_status'
  | 'status_not_allowed'
  | 'final_status'
  | 'correction_not_allowed'
  | 'reason_required'
  | 'proof_required'
  | 'withdrawal_date_future'
  | 'withdrawal_date_before_enrolment'
  | ProofRefusal;
export type FormErrorKey = 'choose_meeting' | 'unknown_meeting' | 'run_cancelled';

export interface Overwrite {
  enrolmentId: string;
  name: string;
  meetingId: string;
  meetingStartsAt: string;
  from: AttendanceState;
  to: 'present' | 'absent';
}

/** A status that is no longer active, changed by a correction (R1): confirmed like an overwrite. */
export interface StatusCorrection {
  enrolmentId: string;
  name: string;
  from: StatusCode;
  to: StatusCode;
}

export type ConflictValue =
  | { kind: 'status'; status: StatusCode | null }
  | { kind: 'effort'; effort: EffortRating | null; comment: string | null }
  | { kind: 'attendance'; state: AttendanceState | null; points: number | null };

/** Someone else changed a value this save changes, since the page was loaded (R11). */
export interface ValueConflict {
  enrolmentId: string;
  name: string;
  /** `status`, `effort` or `attendance.<meetingId>`. */
  key: string;
  meetingStartsAt: string | null;
  theirs: ConflictValue;
  mine: ConflictValue;
  /** The fingerprint of the colleague's value, carried with a "keep mine" choice. */
  fingerprint: string;
}

export interface RegistrationSummary {
  participants: number;
  meetings: number;
  attendanceChanged: number;
  statusesChanged: number;
  certificatesIssued: number;
  certificatesRevoked: number;
  pointsCredited: number;
  pointsRemoved: number;
  effortChanged: number;
  proofsRecorded: number;
}

export interface RegistrationWrites {
  attendance: Insertable<AttendanceTable>[];
  /** Whole rows, each at the loaded version plus one. */
  enrolments: Selectable<EnrolmentsTable>[];
  certificates: Insertable<CertificatesTable>[];
  /** Enrolments leaving Voltooid, whose valid certificate is revoked (R3). */
  revokeFor: string[];
  history: Insertable<HistoryTable>[];
}

export type RegistrationPlan =
  | { kind: 'refused'; rowErrors: Map<string, RowErrorKey[]>; formErrors: FormErrorKey[]; notStarted: PlanMeeting[] }
  | { kind: 'conflict'; conflicts: ValueConflict[] }
  | { kind: 'confirm'; earlyCompletions: { enrolmentId: string; name: string }[]; overwrites: Overwrite[]; corrections: StatusCorrection[] }
  | { kind: 'write'; writes: RegistrationWrites; summary: Omit<RegistrationSummary, 'certificatesRevoked'> };

/** Random or time-based values the planner needs, given from outside so that it stays pure. */
export interface Generators {
  newId(): string;
  certificateNumber(issuedOn: string): string;
  verificationCode(): string;
}
