import type { Insertable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { ProofFilesTable } from '../db/schema.ts';

export type ProofFileRow = Pick<ProofFilesTable, 'key' | 'enrolment_id' | 'confirmed_at' | 'uploaded_at'>;

/** Bound parameters per statement stay well under both databases' limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export async function insertProofFiles(db: Db, rows: readonly Insertable<ProofFilesTable>[]): Promise<void> {
  for (const part of chunks(rows)) await db.insertInto('proof_files').values(part).execute();
}

/** The stored proof files with these keys, staged or confirmed. */
export async function listProofFilesByKey(db: Db, keys: readonly string[]): Promise<ProofFileRow[]> {
  const out: ProofFileRow[] = [];
  for (const part of chunks([...new Set(keys)])) {
    out.push(...(await db.selectFrom('proof_files').select(['key', 'enrolment_id', 'confirmed_at', 'uploaded_at']).where('key', 'in', part).execute()));
  }
  return out;
}

/**
 * Confirms the staged files among `keys` that an enrolment now names as its proof; returns the keys
 * confirmed. A key the save did not record (an inactive row, a later file for the same row) stays staged.
 */
export async function confirmRecordedProofFiles(db: Db, keys: readonly string[], at: string): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .updateTable('proof_files')
    .set({ confirmed_at: at })
    .where('key', 'in', [...new Set(keys)])
    .where('confirmed_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('enrolments')
          .select('enrolments.id')
          .whereRef('enrolments.id', '=', 'proof_files.enrolment_id')
          .whereRef('enrolments.force_majeure_file', '=', 'proof_files.key'),
      ),
    )
    .returning('key')
    .execute();
  return rows.map((r) => r.key);
}

/**
 * Deletes staged (never confirmed) files among `keys`, each only for the enrolment it was staged for;
 * returns the keys deleted, whose files may then go.
 */
export async function deleteStagedProofFiles(db: Db, pairs: readonly { key: string; enrolmentId: string }[]): Promise<string[]> {
  const deleted: string[] = [];
  for (const part of chunks(pairs)) {
    const rows = await db
      .deleteFrom('proof_files')
      .where('confirmed_at', 'is', null)
      .where((eb) => eb.or(part.map((p) => eb.and([eb('key', '=', p.key), eb('enrolment_id', '=', p.enrolmentId)]))))
      .returning('key')
      .execute();
    deleted.push(...rows.map((r) => r.key));
  }
  return deleted;
}

/** Deletes staged files uploaded before `before` (abandoned confirmations); returns their keys. */
export async function deleteStagedProofFilesBefore(db: Db, before: string): Promise<string[]> {
  const rows = await db.deleteFrom('proof_files').where('confirmed_at', 'is', null).where('uploaded_at', '<', before).returning('key').execute();
  return rows.map((r) => r.key);
}

/** Which of these enrolment ids belong to the run. */
export async function enrolmentIdsOfRun(db: Db, runId: string, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db.selectFrom('enrolments').select('id').where('run_id', '=', runId).where('id', 'in', part).execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}
