import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/index.ts';
import { nowIso } from '../db/index.ts';
import { deleteStagedProofFilesBefore, listProofFilesByKey } from '../repositories/proof-files.ts';
import { PROOF_FILE_KEY, publishProofs, removeFiles, stagingDirectory } from '../services/proof-files.ts';

/** A staged proof file whose save was never confirmed is removed after this long. */
export const STAGED_PROOF_MAX_AGE_HOURS = 24;

/** The schedule of the sweep inside the server (croner syntax): daily at 03:17. */
export const SWEEP_STAGED_PROOFS_SCHEDULE = '17 3 * * *';

export interface SweepResult {
  /** Staged files of abandoned confirmations removed from the disk. */
  filesRemoved: number;
  /** Their rows removed from proof_files. */
  rowsRemoved: number;
  /** Files of committed saves that had not yet left staging (a stop between commit and move), moved now. */
  filesPublished: number;
}

/**
 * Removes the proof files of saves that waited for a confirmation that never came, once they are
 * older than a day, and finishes moving files of saves that committed. Idempotent: a second run
 * finds nothing to do; safe beside a running server, which only ever stages younger files.
 */
export async function sweepStagedProofs(db: Db, dataDir: string, now: Date = new Date()): Promise<SweepResult> {
  const cutoff = new Date(now.getTime() - STAGED_PROOF_MAX_AGE_HOURS * 3_600_000);
  const rowsGone = await deleteStagedProofFilesBefore(db, nowIso(cutoff));
  const dir = stagingDirectory(dataDir);
  const names = (await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)))).filter((n) =>
    PROOF_FILE_KEY.test(n),
  );
  const rows = new Map((await listProofFilesByKey(db, names)).map((r) => [r.key, r]));
  const publish: string[] = [];
  const remove: string[] = [];
  for (const name of names) {
    const row = rows.get(name);
    if (row?.confirmed_at) publish.push(name);
    else if (!row) {
      // No row: its save was refused, swept above, or stopped between writing the file and its row.
      const found = await stat(path.join(dir, name)).catch(() => undefined); // gone meanwhile: nothing to do
      if (found && (found.mtime < cutoff || rowsGone.includes(name))) remove.push(name);
    }
  }
  return {
    filesRemoved: await removeFiles(dir, remove),
    rowsRemoved: rowsGone.length,
    filesPublished: await publishProofs(dataDir, publish),
  };
}
