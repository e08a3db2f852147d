import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database, type Db } from '../db/index.ts';
import { readModulePackage, type PackageRejection } from '../domain/elearning-package.ts';
import { MAX_KNOWLEDGE_CENTRE_CHARACTERS, MAX_KNOWLEDGE_CENTRE_FILE_BYTES } from '../domain/knowledge-centre.ts';
import { sniffProofType } from '../domain/upload.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import {
  getCourse,
  getElearningModule,
  getKnowledgeCentre,
  getKnowledgeCentreFile,
  insertKnowledgeCentreFile,
  listCoursesWithContent,
  listKnowledgeCentreFiles,
  replaceElearningModule,
  saveKnowledgeCentre,
} from '../repositories/course-content.ts';
import { getEnrolmentWithCourse } from '../repositories/participant.ts';
import type { Actor } from './actor.ts';

/*
 * A course's content for its participants: the knowledge centre (Markdown and files) and the
 * e-learning module (an unpacked HTML package). Administrators edit it; a participant of the course
 * reads it. Files live under DATA_DIR/uploads by generated names, never by the uploader's.
 */

function requireAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
}

async function loadCourse(db: Db, courseId: string) {
  const course = await getCourse(db, courseId);
  if (!course) throw new NotFoundOrNoAccess();
  return course;
}

export function knowledgeCentreDirectory(dataDir: string): string {
  return path.resolve(dataDir, 'uploads', 'knowledge-centre');
}

export function elearningDirectory(dataDir: string): string {
  return path.resolve(dataDir, 'uploads', 'elearning');
}

/** The courses, with what content each has, for the administrator's list. */
export async function listCourseContent(db: Db, actor: Actor) {
  requireAdmin(actor);
  return listCoursesWithContent(db);
}

/** What the administrator's content page of one course shows. */
export async function getCourseContentForAdmin(db: Db, actor: Actor, courseId: string) {
  requireAdmin(actor);
  const course = await loadCourse(db, courseId);
  const [knowledgeCentre, files, module] = await Promise.all([
    getKnowledgeCentre(db, courseId),
    listKnowledgeCentreFiles(db, courseId),
    getElearningModule(db, courseId),
  ]);
  const markdown = knowledgeCentre?.body_markdown ?? '';
  return { course, markdown, previewHtml: markdown === '' ? '' : await knowledgeCentreHtml(markdown), updatedAt: knowledgeCentre?.updated_at ?? null, files, module };
}

/** The knowledge centre's Markdown as safe HTML (its renderer loaded on first use). */
async function knowledgeCentreHtml(markdown: string): Promise<string> {
  const { renderKnowledgeCentre } = await import('../domain/knowledge-centre-html.ts');
  return renderKnowledgeCentre(markdown);
}

export type ContentRejection = 'markdown_too_long' | 'file_missing' | 'file_too_large' | 'file_type' | PackageRejection;

/** Saves a course's knowledge-centre text (Markdown; sanitised when shown). */
export async function saveKnowledgeCentreText(
  db: Db,
  actor: Actor,
  courseId: string,
  markdown: string,
  now: Date = new Date(),
): Promise<{ ok: true } | { ok: false; reason: ContentRejection }> {
  requireAdmin(actor);
  await loadCourse(db, courseId);
  if (markdown.length > MAX_KNOWLEDGE_CENTRE_CHARACTERS) return { ok: false, reason: 'markdown_too_long' };
  await saveKnowledgeCentre(db, { courseId, markdown, at: nowIso(now), by: actor.id });
  return { ok: true };
}

/** The name a file is shown and downloaded under: its base name, without control or path characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim().slice(0, 200);
  return clean === '' ? 'bestand' : clean;
}

/** Attaches a file to a course's knowledge centre: a PDF, PNG or JPEG by its content, of limited size. */
export async function addKnowledgeCentreFile(
  db: Db,
  dataDir: string,
  actor: Actor,
  courseId: string,
  file: { name: string; content: Uint8Array } | undefined,
  now: Date = new Date(),
): Promise<{ ok: true } | { ok: false; reason: ContentRejection }> {
  requireAdmin(actor);
  await loadCourse(db, courseId);
  if (!file || file.content.byteLength === 0) return { ok: false, reason: 'file_missing' };
  if (file.content.byteLength > MAX_KNOWLEDGE_CENTRE_FILE_BYTES) return { ok: false, reason: 'file_too_large' };
  const kind = sniffProofType(file.content);
  if (!kind) return { ok: false, reason: 'file_type' };
  const id = newId();
  const key = `${id}.${kind.extension}`;
  const dir = knowledgeCentreDirectory(dataDir);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, key), file.content, { flag: 'wx' });
  await insertKnowledgeCentreFile(db, {
    id,
    course_id: courseId,
    name: cleanFileName(file.name),
    media_type: kind.type,
    size_bytes: file.content.byteLength,
    storage_key: key,
    uploaded_at: nowIso(now),
    uploaded_by: actor.id,
  });
  return { ok: true };
}

/**
 * Puts an uploaded HTML package in place as the course's e-learning module: checked (zip slip, size
 * bomb, number of files, an entry page), unpacked into a new folder with an unguessable name, and
 * only then recorded; the module it replaces is removed after.
 */
export async function uploadElearningModule(
  db: Kysely<Database>,
  dataDir: string,
  actor: Actor,
  courseId: string,
  zip: Uint8Array | undefined,
  now: Date = new Date(),
): Promise<{ ok: true; files: number } | { ok: false; reason: ContentRejection }> {
  requireAdmin(actor);
  await loadCourse(db, courseId);
  if (!zip || zip.byteLength === 0) return { ok: false, reason: 'file_missing' };
  const read = readModulePackage(zip);
  if (!read.ok) return read;
  const key = randomBytes(16).toString('hex');
  const root = elearningDirectory(dataDir);
  const staging = path.join(root, `.${key}.partial`);
  try {
    for (const [name, content] of read.value.files) {
      const target = path.resolve(staging, name);
      // readModulePackage already refused paths leaving the package; this is the second lock on that door.
      if (!target.startsWith(staging + path.sep)) throw new Error(`unsafe path ${name}`);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content, { flag: 'wx' });
    }
    await rename(staging, path.join(root, key));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const replaced = await db.transaction().execute((trx) =>
    replaceElearningModule(trx, {
      course_id: courseId,
      storage_key: key,
      entry_path: read.value.entryPath,
      file_count: read.value.files.size,
      total_bytes: read.value.totalBytes,
      uploaded_at: nowIso(now),
      uploaded_by: actor.id,
    }),
  );
  if (replaced) await rm(path.join(root, replaced), { recursive: true, force: true });
  return { ok: true, files: read.value.files.size };
}

/** Where a course's module is served: its own path under the course, with the module's secret key. */
export function moduleHref(courseId: string, storageKey: string, filePath: string): string {
  return `/courses/${courseId}/elearning/${storageKey}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
}

/** The participant's own enrolment, for what its course offers; anyone else's does not exist. */
async function loadOwnEnrolmentCourse(db: Db, actor: Actor, enrolmentId: string) {
  const enrolment = await getEnrolmentWithCourse(db, enrolmentId);
  if (!enrolment || enrolment.user_id !== actor.id) throw new NotFoundOrNoAccess();
  return enrolment;
}

/** What the participant's enrolment page offers to open: a knowledge centre, an e-learning module. */
export async function getCourseOpenings(db: Db, courseId: string) {
  const [knowledgeCentre, module] = await Promise.all([getKnowledgeCentre(db, courseId), getElearningModule(db, courseId)]);
  return { knowledgeCentre: knowledgeCentre !== undefined, elearning: module !== undefined };
}

/** A course's knowledge centre as its participant reads it: sanitised HTML and the attached files. */
export async function readKnowledgeCentre(db: Db, actor: Actor, enrolmentId: string) {
  const enrolment = await loadOwnEnrolmentCourse(db, actor, enrolmentId);
  const knowledgeCentre = await getKnowledgeCentre(db, enrolment.course_id);
  if (!knowledgeCentre) throw new NotFoundOrNoAccess();
  const files = await listKnowledgeCentreFiles(db, enrolment.course_id);
  return { enrolment, html: await knowledgeCentreHtml(knowledgeCentre.body_markdown), updatedAt: knowledgeCentre.updated_at, files };
}

/** One knowledge-centre file for a participant of the course (or an administrator), with its content. */
export async function readKnowledgeCentreFile(db: Db, dataDir: string, actor: Actor, enrolmentId: string, fileId: string) {
  const enrolment = await loadOwnEnrolmentCourse(db, actor, enrolmentId);
  const file = await getKnowledgeCentreFile(db, enrolment.course_id, fileId);
  if (!file) throw new NotFoundOrNoAccess();
  const content = await readFile(path.join(knowledgeCentreDirectory(dataDir), path.basename(file.storage_key)));
  return { name: file.name, mediaType: file.media_type, content };
}

/** Where the participant's e-learning module starts, for the enrolment's course; none: not found. */
export async function elearningEntryHref(db: Db, courseId: string): Promise<string> {
  const module = await getElearningModule(db, courseId);
  if (!module) throw new NotFoundOrNoAccess();
  return moduleHref(courseId, module.storage_key, module.entry_path);
}

/**
 * One file of a course's module, found by the course, the module's key and the path inside it. The
 * key is the module's only credential: files are served without the session (see docs/security.md).
 */
export async function readModuleFile(db: Db, dataDir: string, courseId: string, storageKey: string, filePath: string): Promise<Buffer> {
  const module = await getElearningModule(db, courseId);
  if (!module || module.storage_key !== storageKey) throw new NotFoundOrNoAccess();
  const root = path.join(elearningDirectory(dataDir), module.storage_key);
  const target = path.resolve(root, filePath);
  if (!target.startsWith(root + path.sep)) throw new NotFoundOrNoAccess();
  try {
    return await readFile(target);
  } catch {
    throw new NotFoundOrNoAccess();
  }
}
