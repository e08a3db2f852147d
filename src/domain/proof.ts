/**
 * Proof of force majeure (R4): a file stored for the enrolment, or a note that proof was seen. A note
 * must say something (at least a short sentence: a few words), and a file key must name a file stored
 * for this very enrolment; a key of another enrolment, or of nothing, proves nothing.
 */

/** The shortest note that counts as proof: this many characters … */
export const MIN_PROOF_NOTE_LENGTH = 15;
/** … in at least this many words. */
export const MIN_PROOF_NOTE_WORDS = 2;

/** i18n keys under `registration.errors`. */
export type ProofRefusal = 'proof_file_unknown' | 'proof_note_too_short';

/** True when a (non-empty) note is long enough to count as proof. */
export function isProofNote(note: string): boolean {
  const text = note.trim();
  return text.length >= MIN_PROOF_NOTE_LENGTH && text.split(/\s+/u).length >= MIN_PROOF_NOTE_WORDS;
}

/**
 * Why a row's proof is refused, per enrolment id. `stored` are the stored proof files (staged or
 * confirmed) with the keys the rows name; a row may only name a file stored for its own enrolment.
 */
export function proofRefusals(
  rows: readonly { enrolmentId: string; proofNote: string; proofFile: string | null }[],
  stored: readonly { key: string; enrolment_id: string }[],
): Map<string, ProofRefusal[]> {
  const ownerOf = new Map(stored.map((s) => [s.key, s.enrolment_id]));
  const refusals = new Map<string, ProofRefusal[]>();
  for (const row of rows) {
    const keys: ProofRefusal[] = [];
    if (row.proofFile !== null && ownerOf.get(row.proofFile) !== row.enrolmentId) keys.push('proof_file_unknown');
    if (row.proofNote.trim() !== '' && !isProofNote(row.proofNote)) keys.push('proof_note_too_short');
    if (keys.length > 0) refusals.set(row.enrolmentId, keys);
  }
  return refusals;
}
