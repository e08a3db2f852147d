import type { Insertable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { ElearningModulesTable, KnowledgeCentreFilesTable, KnowledgeCentresTable } from '../db/schema.ts';

/** A course's title, code and kind, or undefined. */
export async function getCourse(db: Db, courseId: string) {
  return db.selectFrom('courses').select(['id', 'title', 'code', 'kind']).where('id', '=', courseId).executeTakeFirst();
}

/** Every course with whether it has a knowledge centre and an e-learning module, by title. */
export async function listCoursesWithContent(db: Db) {
  return db
    .selectFrom('courses as c')
    .leftJoin('knowledge_centres as k', 'k.course_id', 'c.id')
    .leftJoin('elearning_modules as m', 'm.course_id', 'c.id')
    .select(['c.id', 'c.title', 'c.code', 'c.version', 'c.kind', 'k.updated_at as knowledge_centre_updated_at', 'm.uploaded_at as module_uploaded_at'])
    .orderBy('c.title')
    .orderBy('c.version')
    .execute();
}

/** A course's knowledge-centre text, or undefined when it has none. */
export async function getKnowledgeCentre(db: Db, courseId: string) {
  return db.selectFrom('knowledge_centres').select(['course_id', 'body_markdown', 'updated_at']).where('course_id', '=', courseId).executeTakeFirst();
}

/** Saves a course's knowledge-centre text. */
export async function saveKnowledgeCentre(db: Db, row: { courseId: string; markdown: string; at: string; by: string }): Promise<void> {
  await db
    .insertInto('knowledge_centres')
    .values({ course_id: row.courseId, body_markdown: row.markdown, updated_at: row.at, updated_by: row.by })
    .onConflict((oc) => oc.column('course_id').doUpdateSet({ body_markdown: row.markdown, updated_at: row.at, updated_by: row.by }))
    .execute();
}

/** The files of a course's knowledge centre, oldest first. */
export async function listKnowledgeCentreFiles(db: Db, courseId: string) {
  return db
    .selectFrom('knowledge_centre_files')
    .select(['id', 'name', 'media_type', 'size_bytes', 'uploaded_at'])
    .where('course_id', '=', courseId)
    .orderBy('id')
    .execute();
}

/** One file of a course's knowledge centre, or undefined. */
export async function getKnowledgeCentreFile(db: Db, courseId: string, fileId: string) {
  return db
    .selectFrom('knowledge_centre_files')
    .select(['id', 'name', 'media_type', 'size_bytes', 'storage_key'])
    .where('course_id', '=', courseId)
    .where('id', '=', fileId)
    .executeTakeFirst();
}

export async function insertKnowledgeCentreFile(db: Db, row: Insertable<KnowledgeCentreFilesTable>): Promise<void> {
  await db.insertInto('knowledge_centre_files').values(row).execute();
}

/** A course's e-learning module, or undefined. */
export async function getElearningModule(db: Db, courseId: string) {
  return db
    .selectFrom('elearning_modules')
    .select(['course_id', 'storage_key', 'entry_path', 'file_count', 'total_bytes', 'uploaded_at'])
    .where('course_id', '=', courseId)
    .executeTakeFirst();
}

/** Puts a course's module in place of the one it had; returns the replaced module's storage key. */
export async function replaceElearningModule(db: Db, row: Insertable<ElearningModulesTable>): Promise<string | undefined> {
  const previous = await db.selectFrom('elearning_modules').select('storage_key').where('course_id', '=', row.course_id).forUpdate().executeTakeFirst();
  await db.deleteFrom('elearning_modules').where('course_id', '=', row.course_id).execute();
  await db.insertInto('elearning_modules').values(row).execute();
  return previous?.storage_key;
}

/** Inserts knowledge centres in one statement (the demo data). */
export async function insertKnowledgeCentres(db: Db, rows: readonly Insertable<KnowledgeCentresTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('knowledge_centres').values([...rows]).execute();
}
