import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../db/index.ts';
import { MAX_PROOF_BYTES, sniffProofType } from '../domain/upload.ts';

export type ProofRejection = 'proof_file_type' | 'proof_file_size';

/**
 * Proof of force majeure is stored under DATA_DIR/uploads/proofs, outside anything served, under a
 * generated name: the uploader's file name and declared type are never trusted.
 */
export function proofDirectory(dataDir: string): string {
  return path.resolve(dataDir, 'uploads', 'proofs');
}

/** Checks and stores one proof file; returns its key, or why it was refused. */
export async function storeProof(dataDir: string, content: Uint8Array): Promise<{ key: string } | { rejected: ProofRejection }> {
  if (content.byteLength > MAX_PROOF_BYTES) return { rejected: 'proof_file_size' };
  const kind = sniffProofType(content);
  if (!kind) return { rejected: 'proof_file_type' };
  const key = `${newId()}.${kind.extension}`;
  const dir = proofDirectory(dataDir);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, key), content, { flag: 'wx' });
  return { key };
}
