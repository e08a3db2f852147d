import type { Insertable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { PageRequest } from '../db/keyset.ts';
import type { ApiTokensTable } from '../db/schema.ts';

/** API tokens and the answers kept for idempotency keys. SQL only. */

export async function insertApiToken(db: Db, row: Insertable<ApiTokensTable>): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

/** A token by the hash of its secret, with its owner and the owner's roles (one row per role). */
export async function getTokenByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .leftJoin('user_roles as r', 'r.user_id', 't.user_id')
    .select(['t.id', 't.name', 't.scopes', 't.user_id', 't.expires_at', 't.revoked_at', 'u.locale', 'u.deactivated_at', 'u.anonymised_at', 'r.role'])
    .where('t.token_hash', '=', tokenHash)
    .execute();
}

/** Tokens newest first (ids are ULIDs), a keyset page at a time, with the names of owner and maker. */
export async function listApiTokensPage(db: Db, page: PageRequest) {
  let q = db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .leftJoin('users as m', 'm.id', 't.created_by')
    .select(['t.id', 't.name', 't.prefix', 't.scopes', 't.user_id', 'u.name as owner_name', 'm.name as maker_name', 't.created_by', 't.created_at', 't.expires_at', 't.revoked_at', 't.last_used_at']);
  // Newest first: "after" a row means an older id.
  if (page.after) q = q.where('t.id', '<', page.after[0]!);
  else if (page.before) q = q.where('t.id', '>', page.before[0]!);
  return q
    .orderBy('t.id', page.before && !page.after ? 'asc' : 'desc')
    .limit(page.limit + 1)
    .execute();
}

export async function getApiToken(db: Db, id: string) {
  return db.selectFrom('api_tokens').select(['id', 'name', 'user_id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
}

/** Revokes a token that is not yet revoked; answers whether it did. */
export async function revokeApiToken(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records a token's use, unless a use at or after `notBefore` is already recorded. */
export async function touchApiToken(db: Db, id: string, at: string, notBefore: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notBefore)]))
    .execute();
}

/** Claims an idempotency key for a request; answers false when the key is already taken. */
export async function claimIdempotencyKey(db: Db, row: { token_id: string; key: string; request_hash: string; created_at: string }): Promise<boolean> {
  const result = await db
    .insertInto('api_idempotency')
    .values({ ...row, status: null, body: null })
    .onConflict((oc) => oc.columns(['token_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function getIdempotencyKey(db: Db, tokenId: string, key: string) {
  return db.selectFrom('api_idempotency').select(['request_hash', 'status', 'body', 'created_at']).where('token_id', '=', tokenId).where('key', '=', key).executeTakeFirst();
}

export async function storeIdempotentAnswer(db: Db, tokenId: string, key: string, status: number, body: string): Promise<void> {
  await db.updateTable('api_idempotency').set({ status, body }).where('token_id', '=', tokenId).where('key', '=', key).execute();
}

export async function releaseIdempotencyKey(db: Db, tokenId: string, key: string): Promise<void> {
  await db.deleteFrom('api_idempotency').where('token_id', '=', tokenId).where('key', '=', key).execute();
}

/** Removes kept answers created before `before`; answers how many. */
export async function deleteIdempotencyKeysBefore(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('api_idempotency').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
