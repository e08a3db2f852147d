import { describe, expect, it } from 'vitest';
import { isProofNote, proofRefusals } from './proof.ts';

describe('proof of force majeure (R4)', () => {
  it('counts a note as proof only when it is at least a short sentence', () => {
    expect(isProofNote('Doktersbriefje gezien')).toBe(true);
    expect(isProofNote('  Attest van de huisarts gezien op 2/12.  ')).toBe(true);
    for (const note of ['', 'ok', 'gezien', 'xxxxxxxxxxxxxxxxxxxx', 'a b', '   ']) expect(isProofNote(note), note).toBe(false);
  });

  it('accepts a file key only for the enrolment it was stored for', () => {
    const stored = [
      { key: 'A.pdf', enrolment_id: 'e1' },
      { key: 'B.pdf', enrolment_id: 'e2' },
    ];
    const row = (enrolmentId: string, proofFile: string | null, proofNote = '') => ({ enrolmentId, proofFile, proofNote });
    expect(proofRefusals([row('e1', 'A.pdf'), row('e2', null, 'Doktersbriefje gezien'), row('e3', null)], stored)).toEqual(new Map());
    expect(proofRefusals([row('e1', 'B.pdf'), row('e2', 'Z.pdf'), row('e3', null, 'ja')], stored)).toEqual(
      new Map([
        ['e1', ['proof_file_unknown']],
        ['e2', ['proof_file_unknown']],
        ['e3', ['proof_note_too_short']],
      ]),
    );
  });
});
