import { expect, it } from 'vitest';
import { claimIdempotencyKey } from '../repositories/api-tokens.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { sweepIdempotencyKeys } from './sweep-idempotency-keys.ts';

describeEachDatabase('sweepIdempotencyKeys', (store) => {
  it('removes kept answers older than a day, keeps younger ones, and changes nothing the second time', async () => {
    const db = store().db;
    const now = new Date('2026-12-02T12:00:00.000Z');
    await claimIdempotencyKey(db, { token_id: 't', key: 'old', request_hash: 'h', created_at: '2026-12-01T11:59:59.000Z' });
    await claimIdempotencyKey(db, { token_id: 't', key: 'young', request_hash: 'h', created_at: '2026-12-01T12:00:01.000Z' });
    expect(await sweepIdempotencyKeys(db, now)).toEqual({ removed: 1 });
    expect(await sweepIdempotencyKeys(db, now)).toEqual({ removed: 0 });
    expect((await db.selectFrom('api_idempotency').select('key').execute()).map((r) => r.key)).toEqual(['young']);
  });
});
