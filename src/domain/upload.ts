/** Proof of force majeure may be a PDF or an image of at most this size (R4). */
export const MAX_PROOF_BYTES = 5 * 1024 * 1024;

export type ProofType = 'application/pdf' | 'image/png' | 'image/jpeg';

const SIGNATURES: { type: ProofType; extension: string; bytes: number[] }[] = [
  { type: 'application/pdf', extension: 'pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/png', extension: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', extension: 'jpg', bytes: [0xff, 0xd8, 0xff] },
];

/** The file's real type from its first bytes, whatever its name or declared type says; undefined if not allowed. */
export function sniffProofType(content: Uint8Array): { type: ProofType; extension: string } | undefined {
  const match = SIGNATURES.find((s) => s.bytes.every((b, i) => content[i] === b));
  return match && { type: match.type, extension: match.extension };
}
