import { sql, type Kysely } from 'kysely';

/** The whole data model of the specification. Frozen: later changes get a migration of their own. */
export async function up(db: Kysely<any>): Promise<void> {
  const decimal = sql`double precision`;

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('locale', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('anonymised_at', 'text')
    .execute();

  await db.schema
    .createTable('user_roles')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('participant', 'teacher', 'admin')`))
    .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role'])
    .execute();

  await db.schema
    .createTable('courses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('classroom', 'elearning', 'exam')`))
    .addColumn('max_study_points', decimal, (c) => c.notNull().check(sql`max_study_points >= 0`))
    .addColumn('study_term_days', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('replaces_course_id', 'text', (c) => c.references('courses.id'))
    .addColumn('knowledge_centre_url', 'text')
    .addColumn('elearning_url', 'text')
    .addColumn('archived_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('courses_code_version_unique', ['code', 'version'])
    .execute();

  await db.schema
    .createTable('programmes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('study_term_days', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('programme_courses')
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('programme_courses_pk', ['programme_id', 'course_id'])
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer')
    .addColumn('cancelled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('runs_course_idx').on('runs').column('course_id').execute();

  await db.schema
    .createTable('run_teachers')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('run_teachers_pk', ['run_id', 'user_id'])
    .execute();
  await db.schema.createIndex('run_teachers_user_idx').on('run_teachers').columns(['user_id', 'run_id']).execute();

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('study_points', decimal, (c) => c.notNull().defaultTo(0).check(sql`study_points >= 0`))
    .execute();
  await db.schema.createIndex('meetings_run_idx').on('meetings').columns(['run_id', 'starts_at']).execute();

  await db.schema
    .createTable('enrolments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id'))
    .addColumn('run_id', 'text', (c) => c.references('runs.id'))
    .addColumn('programme_id', 'text', (c) => c.references('programmes.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(
        sql`status in ('enrolled', 'not_started', 'started', 'run_choice_required', 'completed', 'failed', 'absent', 'withdrawn_invalid', 'withdrawn_valid', 'cancelled', 'term_expired', 'archived', 'exempted')`,
      ),
    )
    .addColumn('status_changed_at', 'text', (c) => c.notNull())
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('term_ends_on', 'text')
    .addColumn('withdrawn_on', 'text')
    .addColumn('force_majeure_note', 'text')
    .addColumn('force_majeure_file', 'text')
    .addColumn('effort', 'text', (c) => c.check(sql`effort in ('excellent', 'good', 'sufficient', 'insufficient')`))
    .addColumn('effort_comment', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enrolments_run_idx').on('enrolments').columns(['run_id', 'user_id']).execute();
  await db.schema.createIndex('enrolments_user_idx').on('enrolments').columns(['user_id', 'course_id']).execute();
  await db.schema.createIndex('enrolments_term_idx').on('enrolments').columns(['term_ends_on', 'status']).execute();

  await db.schema
    .createTable('attendance')
    .addColumn('enrolment_id', 'text', (c) => c.notNull().references('enrolments.id').onDelete('cascade'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('present', 'integer', (c) => c.check(sql`present in (0, 1)`))
    .addColumn('reported_absent_at', 'text')
    .addColumn('study_points', decimal, (c) => c.notNull().defaultTo(0))
    .addColumn('points_override_by', 'text', (c) => c.references('users.id'))
    .addColumn('points_override_at', 'text')
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('attendance_pk', ['enrolment_id', 'meeting_id'])
    .execute();
  await db.schema.createIndex('attendance_meeting_idx').on('attendance').column('meeting_id').execute();

  await db.schema
    .createTable('certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('verification_code', 'text', (c) => c.notNull().unique())
    .addColumn('enrolment_id', 'text', (c) => c.notNull().references('enrolments.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id'))
    .addColumn('study_points', decimal, (c) => c.notNull())
    .addColumn('completed_on', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  // At most one valid certificate per enrolment (R3), enforced by the database itself.
  await db.schema
    .createIndex('certificates_one_valid_per_enrolment')
    .on('certificates')
    .column('enrolment_id')
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
  await db.schema.createIndex('certificates_user_idx').on('certificates').column('user_id').execute();

  await db.schema
    .createTable('history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('teacher_form', 'admin', 'system', 'import', 'api', 'participant')`),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('enrolment_id', 'text', (c) => c.references('enrolments.id'))
    .addColumn('run_id', 'text', (c) => c.references('runs.id'))
    .addColumn('meeting_id', 'text', (c) => c.references('meetings.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('note', 'text')
    .execute();
  // History ids are ULIDs, so id order is time order: both indexes page newest-first without a sort.
  await db.schema.createIndex('history_user_idx').on('history').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('history_run_idx').on('history').columns(['run_id', 'id']).execute();
  await db.schema.createIndex('history_enrolment_idx').on('history').columns(['enrolment_id', 'id']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('succeeded', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_email_idx').on('login_attempts').columns(['email', 'at']).execute();
  await db.schema.createIndex('login_attempts_address_idx').on('login_attempts').columns(['address', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'login_attempts',
    'sessions',
    'history',
    'certificates',
    'attendance',
    'enrolments',
    'meetings',
    'run_teachers',
    'runs',
    'programme_courses',
    'programmes',
    'courses',
    'user_roles',
    'users',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
