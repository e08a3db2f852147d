/** A password has at least this many characters (counted as characters, not UTF-16 units). */
export const MIN_PASSWORD_LENGTH = 10;
// argon2 hashes input of any length, but an upper bound keeps a pasted file (or a hostile form
// post) from costing seconds of hashing; no real passphrase comes near it.
export const MAX_PASSWORD_LENGTH = 1000;
