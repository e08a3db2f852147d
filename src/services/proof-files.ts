import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/index.ts';
import { newId, nowIso } from '../db/index.ts';
import { MAX_PROOF_BYTES, sniffProofType } from '../domain/upload.ts';
import {
  confirmRecordedProofFiles,
  deleteStagedProofFiles,
  enrolmentIdsOfRun,
  insertProofFiles,
} from '../repositories/proof-files.ts';
import type { Actor } from './actor.ts';
import {
  RegistrationConflict,
  RegistrationRefused,
  registerAttendance,
  type RegistrationInput,
  type RegistrationOutcome,
} from './register-attendance.ts';
import { loadManagedRun } from './run-access.ts';

/*
 * Proof of force majeure (R4) is stored under DATA_DIR/uploads, outside anything served, under a
 * generated name: the uploader's file name and declared type are never trusted, the type is read from
 * the content. A file sent with a save waits in `staging/` until the save that records it commits;
 * then it moves to `proofs/`. A refused or conflicting save removes its staged files at once; a
 * confirmation never given leaves them to the daily sweep (src/jobs/sweep-staged-proofs.ts).
 */

export type ProofRejection = 'proof_file_type' | 'proof_file_size';

/** Where confirmed proof files live. */
export function proofDirectory(dataDir: string): string {
  return path.resolve(dataDir, 'uploads', 'proofs');
}

/** Where the files of saves not (yet) made wait. */
export function stagingDirectory(dataDir: string): string {
  return path.resolve(dataDir, 'uploads', 'staging');
}

/** A key as stageProofs makes them; anything else is never used as a path. */
export const PROOF_FILE_KEY = /^[0-9A-HJKMNP-TV-Z]{26}\.(pdf|png|jpg)$/;

/** Removes files, ignoring those already gone: every caller may be repeated. */
export async function removeFiles(dir: string, keys: readonly string[]): Promise<number> {
  let removed = 0;
  for (const key of keys) {
    if (!PROOF_FILE_KEY.test(key)) continue;
    try {
      await unlink(path.join(dir, key));
      removed += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}

/** Moves confirmed files from staging to the proof folder; a file already moved is left alone. */
export async function publishProofs(dataDir: string, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const target = proofDirectory(dataDir);
  await mkdir(target, { recursive: true });
  let moved = 0;
  for (const key of keys) {
    if (!PROOF_FILE_KEY.test(key)) continue;
    try {
      await rename(path.join(stagingDirectory(dataDir), key), path.join(target, key));
      moved += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return moved;
}

export type StagedProof = { key: string } | { rejected: ProofRejection };

/**
 * Checks and stages the proof files sent with one save of a run, after checking that the actor may
 * manage the run (nothing is read or stored otherwise). A file for an enrolment that is not in the
 * run is not stored (the save refuses that row). Returns, per enrolment, the staged key or why the
 * file was refused. `read` gives a file's bytes: it is called only once access is granted.
 */
export async function stageProofs(
  db: Db,
  dataDir: string,
  actor: Actor,
  runId: string,
  uploads: readonly { enrolmentId: string; size: number; read: () => Promise<Uint8Array> }[],
  now: Date = new Date(),
): Promise<Map<string, StagedProof>> {
  const result = new Map<string, StagedProof>();
  if (uploads.length === 0) return result;
  await loadManagedRun(db, actor, runId);
  const inRun = await enrolmentIdsOfRun(db, runId, uploads.map((u) => u.enrolmentId));
  const dir = stagingDirectory(dataDir);
  const staged: { key: string; enrolment_id: string; content_type: string; byte_size: number; uploaded_by: string; uploaded_at: string }[] = [];
  try {
    for (const upload of uploads) {
      if (!inRun.has(upload.enrolmentId) || result.has(upload.enrolmentId)) continue;
      if (upload.size > MAX_PROOF_BYTES) {
        result.set(upload.enrolmentId, { rejected: 'proof_file_size' });
        continue;
      }
      const content = await upload.read();
      const kind = content.byteLength <= MAX_PROOF_BYTES ? sniffProofType(content) : undefined;
      if (!kind) {
        result.set(upload.enrolmentId, { rejected: content.byteLength > MAX_PROOF_BYTES ? 'proof_file_size' : 'proof_file_type' });
        continue;
      }
      const key = `${newId()}.${kind.extension}`;
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, key), content, { flag: 'wx' });
      staged.push({ key, enrolment_id: upload.enrolmentId, content_type: kind.type, byte_size: content.byteLength, uploaded_by: actor.id, uploaded_at: nowIso(now) });
      result.set(upload.enrolmentId, { key });
    }
    await insertProofFiles(db, staged);
  } catch (error) {
    await removeFiles(dir, staged.map((s) => s.key));
    throw error;
  }
  return result;
}

/** Removes the staged files named by rows of a save that was refused or ran into a conflict. */
export async function discardStagedProofs(db: Db, dataDir: string, rows: RegistrationInput['rows']): Promise<string[]> {
  const pairs = rows.flatMap((r) => (r.proofFile ? [{ key: r.proofFile, enrolmentId: r.enrolmentId }] : []));
  if (pairs.length === 0) return [];
  const deleted = await deleteStagedProofFiles(db, pairs);
  await removeFiles(stagingDirectory(dataDir), deleted);
  return deleted;
}

/**
 * One press of Doorgaan with its proof files: the save (registerAttendance) and the confirmation of
 * the files it records, in one transaction. A saved file moves out of staging once committed; a
 * refused or conflicting save removes the staged files it named. A save waiting for confirmation
 * keeps them staged (the confirmation screen carries their keys).
 */
export async function saveRegistration(
  db: Db,
  dataDir: string,
  actor: Actor,
  input: RegistrationInput,
  now: Date = new Date(),
): Promise<RegistrationOutcome> {
  const keys = input.rows.flatMap((r) => (r.proofFile ? [r.proofFile] : []));
  let confirmed: string[] = [];
  let outcome: RegistrationOutcome;
  try {
    outcome = await db.transaction().execute(async (trx) => {
      const result = await registerAttendance(trx, actor, input, now);
      if (result.kind === 'saved') confirmed = await confirmRecordedProofFiles(trx, keys, nowIso(now));
      return result;
    });
  } catch (error) {
    if (error instanceof RegistrationRefused || error instanceof RegistrationConflict) await discardStagedProofs(db, dataDir, input.rows);
    throw error;
  }
  if (outcome.kind === 'saved') {
    await publishProofs(dataDir, confirmed);
    // A staged file this save did not record (say, a row that no longer takes part) has no use left.
    await discardStagedProofs(db, dataDir, input.rows.filter((r) => r.proofFile && !confirmed.includes(r.proofFile)));
  }
  return outcome;
}
