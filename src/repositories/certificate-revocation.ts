import { sql } from 'kysely';
import { afterKey, toKeysetPage, type KeysetPage, type PageRequest } from '../db/keyset.ts';
import { batches, type Db } from '../db/index.ts';
import { escapeLike } from './privacy.ts';

/** Which certificates an administrator looks at: of one course, of runs whose code contains `run`, and whose holder or number contains `q`. */
export interface CertificateFilter {
  courseId?: string | undefined;
  run?: string | undefined;
  q?: string | undefined;
}

const COLUMNS = [
  'cert.id',
  'cert.number',
  'cert.enrolment_id',
  'cert.user_id',
  'cert.issued_at',
  'cert.revoked_at',
  'e.run_id',
  'u.name as holder_name',
  'u.email as holder_email',
  'c.title as course_title',
  'r.code as run_code',
] as const;

/** The valid certificates the filter matches, with their holder, course, enrolment and run joined. */
function matching(db: Db, filter: CertificateFilter) {
  let q = db
    .selectFrom('certificates as cert')
    .innerJoin('users as u', 'u.id', 'cert.user_id')
    .innerJoin('courses as c', 'c.id', 'cert.course_id')
    .innerJoin('enrolments as e', 'e.id', 'cert.enrolment_id')
    .leftJoin('runs as r', 'r.id', 'e.run_id')
    .where('cert.revoked_at', 'is', null);
  if (filter.courseId) q = q.where('cert.course_id', '=', filter.courseId);
  const run = filter.run?.trim().toLowerCase();
  if (run) q = q.where((eb) => sql<boolean>`lower(${eb.ref('r.code')}) like ${`%${escapeLike(run)}%`} escape '\\'`);
  const text = filter.q?.trim().toLowerCase();
  if (text) {
    const pattern = `%${escapeLike(text)}%`;
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`lower(${eb.ref('u.name')}) like ${pattern} escape '\\'`,
        sql<boolean>`lower(${eb.ref('u.email')}) like ${pattern} escape '\\'`,
        sql<boolean>`lower(${eb.ref('cert.number')}) like ${pattern} escape '\\'`,
      ]),
    );
  }
  return q;
}

/** One page of valid certificates matching the filter, by holder name. */
export async function listRevocableCertificates(db: Db, filter: CertificateFilter, page: PageRequest): Promise<KeysetPage<RevocableCertificate>> {
  const backwards = !!page.before && !page.after;
  let q = matching(db, filter).select(COLUMNS);
  const key = page.after ?? page.before;
  if (key) q = q.where((eb) => afterKey(eb, ['u.name', 'cert.id'], key, backwards ? '<' : '>'));
  const rows = await q
    .orderBy('u.name', backwards ? 'desc' : 'asc')
    .orderBy('cert.id', backwards ? 'desc' : 'asc')
    .limit(page.limit + 1)
    .execute();
  return toKeysetPage(rows, page, (r) => [r.holder_name, r.id]);
}

/** How many valid certificates match the filter. */
export async function countRevocableCertificates(db: Db, filter: CertificateFilter): Promise<number> {
  const row = await matching(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The valid certificates selected for revocation, by id or by filter, locked until the transaction
 * ends (PostgreSQL; SQLite's write transaction runs alone).
 */
export async function lockSelectedCertificates(db: Db, selection: { ids: readonly string[] } | { filter: CertificateFilter }): Promise<RevocableCertificate[]> {
  if ('filter' in selection) {
    return matching(db, selection.filter)
      .select(COLUMNS)
      .orderBy('cert.id')
      .forNoKeyUpdate('cert')
      .execute();
  }
  const out: RevocableCertificate[] = [];
  for (const batch of batches(selection.ids, 1)) out.push(...(await matching(db, {}).where('cert.id', 'in', batch).select(COLUMNS).orderBy('cert.id').forNoKeyUpdate('cert').execute()));
  return out;
}

export interface RevocableCertificate {
  id: string;
  number: string;
  enrolment_id: string;
  user_id: string;
  issued_at: string;
  revoked_at: string | null;
  run_id: string | null;
  holder_name: string;
  holder_email: string;
  course_title: string;
  run_code: string | null;
}
