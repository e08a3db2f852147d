
/**
 * The database as Kysely sees it. Timestamps are ISO-8601 UTC text, dates are `YYYY-MM-DD` text,
 * booleans are 0/1 integers: the same on SQLite and PostgreSQL, so nothing above `src/db/` cares which runs.
 */
export type Flag = 0 | 1;

export type Role = 'participant' | 'teacher' | 'admin';
export type CourseKind = 'classroom' | 'elearning' | 'exam';
export type StatusCode =
  | 'enrolled'
  | 'not_started'
  | 'started'
  | 'run_choice_required'
  | 'completed'
  | 'failed'
  | 'absent'
  | 'withdrawn_invalid'
  | 'withdrawn_valid'
  | 'cancelled'
  | 'term_expired'
  | 'archived'
  | 'exempted';
export type EffortRating = 'excellent' | 'good' | 'sufficient' | 'insufficient';
/** History fields of changes to the catalogue (courses, programmes, runs, meetings, teachers) and to the organisation's look on its documents. */
export type CatalogHistoryField = 'course' | 'programme' | 'run' | 'meeting' | 'teacher' | 'organisation';
export type HistorySource = 'teacher_form' | 'admin' | 'system' | 'import' | 'api' | 'participant';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  locale: 'nl' | 'en' | null;
  created_at: string;
  anonymised_at: string | null;
  /** HR's personnel number, the other key of an exemption list; unique where given. */
  personnel_number: string | null;
  /** Set when an administrator deactivated the account: it cannot sign in, and keeps everything about it. */
  deactivated_at: string | null;
}

export interface UserRolesTable {
  user_id: string;
  role: Role;
}

export interface CoursesTable {
  id: string;
  code: string;
  title: string;
  kind: CourseKind;
  max_study_points: number;
  description: string | null;
  /** The study term: a number of days from enrolment, or a fixed end date (`YYYY-MM-DD`), or neither. */
  study_term_days: number | null;
  study_term_ends_on: string | null;
  version: number;
  replaces_course_id: string | null;
  knowledge_centre_url: string | null;
  elearning_url: string | null;
  archived_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  created_at: string;
}

export interface ProgrammesTable {
  id: string;
  title: string;
  study_term_days: number | null;
  study_term_ends_on: string | null;
  created_at: string;
}

export interface ProgrammeCoursesTable {
  programme_id: string;
  course_id: string;
  position: number;
}

export interface RunsTable {
  id: string;
  course_id: string;
  code: string;
  starts_on: string;
  ends_on: string;
  place: string;
  capacity: number | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  created_at: string;
}

export interface RunTeachersTable {
  run_id: string;
  user_id: string;
}

export interface MeetingsTable {
  id: string;
  run_id: string;
  starts_at: string;
  ends_at: string;
  place: string;
  study_points: number;
}

export interface EnrolmentsTable {
  id: string;
  user_id: string;
  course_id: string;
  /** Empty while a programme still waits for the participant's run choice. */
  run_id: string | null;
  programme_id: string | null;
  status: StatusCode;
  status_changed_at: string;
  enrolled_at: string;
  term_ends_on: string | null;
  withdrawn_on: string | null;
  force_majeure_note: string | null;
  force_majeure_file: string | null;
  /** What the participant gave as the reason when withdrawing themselves (optional). */
  withdrawal_reason: string | null;
  effort: EffortRating | null;
  effort_comment: string | null;
  /** The ground of an individual exemption (Vrijgesteld) and its stored evidence file's key. */
  exemption_reason: string | null;
  exemption_file: string | null;
  /** Raised by every change to the enrolment or its attendance; a save quoting an older one is refused (R11). */
  version: number;
  updated_at: string;
}

export interface AttendanceTable {
  enrolment_id: string;
  meeting_id: string;
  /** 1 present, 0 not present, null: absence reported in advance and not yet registered. */
  present: Flag | null;
  reported_absent_at: string | null;
  /** The reason the participant gave when reporting the absence in advance. */
  absence_reason: string | null;
  study_points: number;
  points_override_by: string | null;
  points_override_at: string | null;
  recorded_by: string | null;
  recorded_at: string;
}

export interface CertificatesTable {
  id: string;
  number: string;
  verification_code: string;
  enrolment_id: string;
  user_id: string;
  course_id: string;
  study_points: number;
  completed_on: string;
  issued_at: string;
  revoked_at: string | null;
}

export interface HistoryTable {
  id: string;
  at: string;
  actor_id: string | null;
  source: HistorySource;
  user_id: string;
  enrolment_id: string | null;
  run_id: string | null;
  meeting_id: string | null;
  /**
   * What changed. The catalogue fields (course, programme, run, meeting, teacher) record an
   * administrator's change to the catalogue: `user_id` is then the teacher concerned (teacher), or
   * else the administrator who made it; old and new value are JSON of the changed attributes.
   */
  field: HistoryField | CatalogHistoryField;
  old_value: string | null;
  new_value: string | null;
  note: string | null;
}

/** A course's knowledge centre (kenniscentrum): Markdown written by administrators. */
export interface KnowledgeCentresTable {
  course_id: string;
  body_markdown: string;
  updated_at: string;
  updated_by: string | null;
}

/** A file attached to a course's knowledge centre, stored under DATA_DIR by its generated key. */
export interface KnowledgeCentreFilesTable {
  id: string;
  course_id: string;
  name: string;
  media_type: string;
  size_bytes: number;
  storage_key: string;
  uploaded_at: string;
  uploaded_by: string | null;
}

/** A course's e-learning module: an uploaded HTML package, unpacked under DATA_DIR by its generated key. */
export interface ElearningModulesTable {
  course_id: string;
  storage_key: string;
  entry_path: string;
  file_count: number;
  total_bytes: number;
  uploaded_at: string;
  uploaded_by: string | null;
}

/** The kinds of change history records (`account` and `role` are changes to a user by an administrator). */
export type HistoryField = 'status' | 'attendance' | 'effort' | 'points' | 'certificate' | 'withdrawal' | 'enrolment' | 'waiting_list' | 'account' | 'role';

export interface WaitingListTable {
  /** A ULID: id order is the order of arrival on the list. */
  id: string;
  run_id: string;
  user_id: string;
  added_at: string;
  added_by: string | null;
}

export interface PasswordLinksTable {
  /** SHA-256 of the link's token: the database never holds a usable link. */
  token_hash: string;
  user_id: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface CsvImportsTable {
  id: string;
  kind: 'users' | 'enrolments';
  actor_id: string;
  file_name: string;
  content: string;
  created_at: string;
}

export type ApiScope = 'read' | 'write' | 'admin';

/** A token for the JSON API: the database holds only its SHA-256 hash. */
export interface ApiTokensTable {
  id: string;
  token_hash: string;
  /** The token's first characters, shown in lists so that people can tell their tokens apart. */
  prefix: string;
  name: string;
  /** Space-separated ApiScope values. */
  scopes: string;
  /** Whom the token acts as: the administrator who made it, or a teacher (a personal token). */
  user_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** Recorded at most once a minute per server process. */
  last_used_at: string | null;
}

/** The answer to a creating API request, kept by token and `Idempotency-Key`. */
export interface ApiIdempotencyTable {
  token_id: string;
  key: string;
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  request_hash: string;
  /** Null while the first request is still being answered. */
  status: number | null;
  body: string | null;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a stolen database holds no usable session. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  /** A one-time message for the next page (JSON), set after a save and cleared when shown. */
  flash: string | null;
}

/** A proof file stored for an enrolment: staged while its save is unconfirmed, then confirmed (R4). */
export interface ProofFilesTable {
  /** The file's name under DATA_DIR/uploads: a ULID and the extension of its sniffed type. */
  key: string;
  enrolment_id: string;
  content_type: string;
  byte_size: number;
  uploaded_by: string;
  uploaded_at: string;
  /** Empty while staged; set by the save that records the file as the enrolment's proof. */
  confirmed_at: string | null;
}

/** The organisation's name, signatory and logo on its documents (one row, id `organisation`); empty means the product's defaults. */
export interface OrganisationBrandingTable {
  id: string;
  name: string | null;
  signatory_name: string | null;
  signatory_title: string | null;
  logo_type: 'image/png' | 'image/svg+xml' | null;
  logo_base64: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** A person's private calendar feed: the SHA-256 hash of the secret token in its address. */
export interface CalendarFeedsTable {
  user_id: string;
  token_hash: string;
  created_at: string;
}

export interface LoginAttemptsTable {
  id: string;
  email: string;
  address: string;
  at: string;
  succeeded: Flag;
}

/**
 * Where a message of the outbox stands: waiting (also between retries), delivered, given up on, or
 * not sent because it no longer applied when its turn came (a certificate revoked before its mail).
 */
export type OutboxState = 'pending' | 'sent' | 'failed' | 'skipped';

/** A message to deliver after the commit of the change that caused it (the transactional outbox). */
export interface OutboxTable {
  /** A ULID: messages are delivered in order of creation when due at once. */
  id: string;
  /** How it goes out: `mail` or `webhook`. */
  channel: string;
  /** What it says, e.g. `certificate_issued`; the channel's renderer knows each kind. */
  kind: string;
  /** The e-mail address it goes to. */
  recipient: string;
  recipient_user_id: string | null;
  locale: 'nl' | 'en' | null;
  /** JSON of what the message needs to be written. */
  payload: string;
  /** What must not outlive the delivery (a password link's token); emptied when the message is done. */
  secret: string | null;
  state: OutboxState;
  /** Attempts begun so far. */
  attempts: number;
  next_attempt_at: string;
  /** The worker that claimed it, until `claimed_until`; nobody else delivers it meanwhile. */
  claimed_by: string | null;
  claimed_until: string | null;
  created_at: string;
  finished_at: string | null;
  last_error: string | null;
  /** Channel `webhook`: the subscription it goes to. */
  subscription_id: string | null;
  /** Channel `webhook`: the history row the event is read from. */
  history_id: string | null;
}

/** One attempt to deliver an outbox message, successful or not. */
export interface OutboxAttemptsTable {
  id: string;
  message_id: string;
  attempt: number;
  worker: string;
  started_at: string;
  finished_at: string;
  outcome: 'sent' | 'failed' | 'skipped';
  error: string | null;
  /** The HTTP status the attempt got, where the channel speaks HTTP (webhooks). */
  response_status: number | null;
}

/** An administrator's webhook: the address events are posted to, and the secret they are signed with. */
export interface WebhookSubscriptionsTable {
  id: string;
  /** An http(s) address. */
  url: string;
  /** The signing secret: kept as is, because the delivery job needs it to sign; shown once. */
  secret: string;
  created_at: string;
  created_by: string | null;
  /** Set when an administrator deactivated it: no new events, waiting deliveries are skipped. */
  deactivated_at: string | null;
}

/** An event type a webhook subscription wants (see src/domain/webhooks.ts). */
export interface WebhookSubscriptionEventsTable {
  subscription_id: string;
  event_type: string;
}

export interface Database {
  users: UsersTable;
  user_roles: UserRolesTable;
  courses: CoursesTable;
  programmes: ProgrammesTable;
  programme_courses: ProgrammeCoursesTable;
  runs: RunsTable;
  run_teachers: RunTeachersTable;
  meetings: MeetingsTable;
  enrolments: EnrolmentsTable;
  attendance: AttendanceTable;
  certificates: CertificatesTable;
  /**
   * Every history row (R9): on PostgreSQL a table partitioned by source, on SQLite a view of the same
   * two tables (migrations 0200 and 0210). Read it here; write to the table the row belongs to.
   */
  history: HistoryTable;
  /** History of every source but `system`. */
  history_main: HistoryTable;
  /** History the system writes (the sweep): no actor, and the status as what changed. */
  history_system: HistoryTable;
  knowledge_centres: KnowledgeCentresTable;
  knowledge_centre_files: KnowledgeCentreFilesTable;
  elearning_modules: ElearningModulesTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  proof_files: ProofFilesTable;
  waiting_list: WaitingListTable;
  password_links: PasswordLinksTable;
  csv_imports: CsvImportsTable;
  calendar_feeds: CalendarFeedsTable;
  organisation_branding: OrganisationBrandingTable;
  outbox: OutboxTable;
  outbox_attempts: OutboxAttemptsTable;
  api_tokens: ApiTokensTable;
  api_idempotency: ApiIdempotencyTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_subscription_events: WebhookSubscriptionEventsTable;
}

