import { randomInt } from 'node:crypto';

// Crockford's base-32 alphabet: no I, L, O or U, so codes read aloud or typed from paper stay unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomCode(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** A certificate number such as `PRS-2026-7K3M9Q2D`: the year of issue and 40 random bits. */
export function certificateNumber(issuedOn: string): string {
  return `PRS-${issuedOn.slice(0, 4)}-${randomCode(8)}`;
}

/** A verification code of 80 random bits, printed on the certificate and in its QR code. */
export function verificationCode(): string {
  return randomCode(16);
}
