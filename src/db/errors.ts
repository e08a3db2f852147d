/**
 * Whether a database error is a violated unique constraint (or primary key), on either database:
 * PostgreSQL reports SQLSTATE 23505, better-sqlite3 the extended codes below. Services use it to
 * turn a lost race on a unique value (two people creating the same e-mail address at once) into the
 * same clear answer as the check that usually catches it first.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
