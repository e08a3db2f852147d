import { describe, expect, it } from 'vitest';
import { afterFailure, DEFAULT_RETRY_POLICY, describeFailure, MAX_ATTEMPTS } from './delivery.ts';
import { cancellationMails, planMails, type MailRecipient } from './mail.ts';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const waitAfter = (attempt: number) => {
  const next = afterFailure(attempt, NOW);
  return next.kind === 'retry' ? (Date.parse(next.at) - NOW.getTime()) / 1000 : null;
};

describe('delivery back-off', () => {
  it('waits 30 s after the first failure, doubling each time, at most 6 hours, and gives up after the last attempt', () => {
    expect([1, 2, 3, 4, 5].map(waitAfter)).toEqual([30, 60, 120, 240, 480]);
    expect(waitAfter(MAX_ATTEMPTS - 1)).toBe(Math.min(6 * 3600, 30 * 2 ** (MAX_ATTEMPTS - 2)));
    expect(afterFailure(MAX_ATTEMPTS, NOW)).toEqual({ kind: 'give_up' });
    expect(afterFailure(3, NOW, { ...DEFAULT_RETRY_POLICY, longestRetrySeconds: 90 })).toEqual({ kind: 'retry', at: '2026-12-02T10:01:30.000Z' });
  });

  it('keeps an error as one bounded line', () => {
    expect(describeFailure(new Error('451 Try\n again later'))).toBe('Error: 451 Try again later');
    expect(describeFailure('x'.repeat(5000))).toHaveLength(1000);
  });
});

describe('planning e-mail', () => {
  const person = (id: string, over: Partial<MailRecipient> = {}): MailRecipient => ({ id, email: `${id}@example.test`, locale: null, anonymised_at: null, deactivated_at: null, ...over });
  let n = 0;
  const ids = () => `M${(n++).toString().padStart(3, '0')}`;
  const revoked = { kind: 'certificate_revoked' as const, number: 'PRS-2026-1', courseTitle: 'EHBO', revokedAt: NOW.toISOString(), reason: null };

  it("writes in the recipient's language (Dutch by default), once per person and message, never to an anonymised or deactivated account", () => {
    const rows = planMails(
      [
        { userId: 'a', payload: revoked },
        { userId: 'a', payload: revoked },
        { userId: 'b', payload: revoked },
        { userId: 'gone', payload: revoked },
        { userId: 'off', payload: revoked },
        { userId: 'off', payload: { kind: 'password_link', expiresAt: NOW.toISOString() }, secret: 'token' },
        { userId: 'unknown', payload: revoked },
      ],
      [person('a'), person('b', { locale: 'en' }), person('gone', { anonymised_at: NOW.toISOString() }), person('off', { deactivated_at: NOW.toISOString() })],
      NOW.toISOString(),
      ids,
    );
    expect(rows.map((r) => [r.recipient, r.locale, r.kind, r.secret])).toEqual([
      ['a@example.test', 'nl', 'certificate_revoked', null],
      ['b@example.test', 'en', 'certificate_revoked', null],
      ['off@example.test', 'nl', 'password_link', 'token'],
    ]);
    expect(rows[0]).toMatchObject({ channel: 'mail', state: 'pending', attempts: 0, next_attempt_at: NOW.toISOString() });
  });

  it('tells the cancelled participants of a run and each of its teachers', () => {
    const run = { id: 'r', code: 'R-1', starts_on: '2027-01-04', place: 'Gent', course_title: 'EHBO' };
    const mails = cancellationMails([{ ...run, teacher_id: 't1' }, { ...run, teacher_id: 't2' }], [{ user_id: 'p', run_id: 'r' }, { user_id: 'q', run_id: null }], 'Ziek');
    expect(mails.map((m) => [m.userId, m.payload.kind === 'run_cancelled' && m.payload.role])).toEqual([
      ['p', 'participant'],
      ['t1', 'teacher'],
      ['t2', 'teacher'],
    ]);
  });
});
