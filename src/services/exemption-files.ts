import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../db/index.ts';
import { MAX_PROOF_BYTES, sniffProofType } from '../domain/upload.ts';

export type EvidenceRejection = 'evidence_file_type' | 'evidence_file_size';

/** Evidence of exemption files is kept under DATA_DIR/uploads/exemptions, outside anything served. */
export function exemptionDirectory(dataDir: string): string {
  return path.resolve(dataDir, 'uploads', 'exemptions');
}

/**
 * Checks and stores one piece of evidence (a PDF or an image of at most 5 MB, its type read from its
 * content, never from its name); returns its key, or why it was refused.
 */
export async function storeEvidence(dataDir: string, content: Uint8Array): Promise<{ key: string } | { rejected: EvidenceRejection }> {
  if (content.byteLength > MAX_PROOF_BYTES) return { rejected: 'evidence_file_size' };
  const kind = sniffProofType(content);
  if (!kind) return { rejected: 'evidence_file_type' };
  const key = `${newId()}.${kind.extension}`;
  const dir = exemptionDirectory(dataDir);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, key), content, { flag: 'wx' });
  return { key };
}
