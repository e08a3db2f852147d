import { sql, type Kysely } from 'kysely';

/**
 * What head office needs to set up its own catalogue: a course's description and a study term that
 * can be a fixed end date instead of a number of days (likewise for a programme), and an index
 * behind every filter and sort of the administrators' course and run lists, so each page is an
 * index range read however many runs there are.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('courses').addColumn('description', 'text').execute();
  await db.schema.alterTable('courses').addColumn('study_term_ends_on', 'text').execute();
  await db.schema.alterTable('programmes').addColumn('study_term_ends_on', 'text').execute();

  // Course list: by title (keyset on title, id); the code search uses courses_code_version_unique.
  await db.schema.createIndex('courses_title_idx').on('courses').columns(['title', 'id']).execute();
  await db.schema.createIndex('programmes_title_idx').on('programmes').columns(['title', 'id']).execute();
  await db.schema.createIndex('programme_courses_course_idx').on('programme_courses').columns(['course_id']).execute();

  // Run overview: newest start first (keyset on starts_on, id), alone or within one course or place;
  // the status filters read ends_on and cancelled_at; the teacher filter uses run_teachers_user_idx.
  await db.schema.createIndex('runs_starts_idx').on('runs').columns(['starts_on', 'id']).execute();
  await db.schema.createIndex('runs_course_starts_idx').on('runs').columns(['course_id', 'starts_on', 'id']).execute();
  await db.schema.createIndex('runs_place_starts_idx').on('runs').columns(['place', 'starts_on', 'id']).execute();
  await db.schema.createIndex('runs_ends_idx').on('runs').columns(['ends_on', 'starts_on', 'id']).execute();
  await db.schema
    .createIndex('runs_cancelled_starts_idx')
    .on('runs')
    .columns(['starts_on', 'id'])
    .where(sql.ref('cancelled_at'), 'is not', null)
    .execute();
  // The course filter's and a run's teacher search: by role, then name.
  await db.schema.createIndex('user_roles_role_idx').on('user_roles').columns(['role', 'user_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'user_roles_role_idx',
    'runs_cancelled_starts_idx',
    'runs_ends_idx',
    'runs_place_starts_idx',
    'runs_course_starts_idx',
    'runs_starts_idx',
    'programme_courses_course_idx',
    'programmes_title_idx',
    'courses_title_idx',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema.alterTable('programmes').dropColumn('study_term_ends_on').execute();
  await db.schema.alterTable('courses').dropColumn('study_term_ends_on').execute();
  await db.schema.alterTable('courses').dropColumn('description').execute();
}
