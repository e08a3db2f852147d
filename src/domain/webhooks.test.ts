import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { planWebhook, signWebhook, verifyWebhookSignature, webhookEventOf, webhookPayload } from './webhooks.ts';

const history = { id: 'H1', at: '2026-12-02T09:00:00.000Z', source: 'teacher_form' as const, user_id: 'U1', enrolment_id: 'E1', run_id: 'R1', old_value: 'enrolled', new_value: 'completed', note: null };

describe('webhook signature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"> with the secret', () => {
    const at = new Date('2026-12-02T09:00:05.900Z');
    const body = '{"id":"X"}';
    const header = signWebhook('whsec_test', body, at);
    expect(header).toBe(`t=1796202005,v1=${createHmac('sha256', 'whsec_test').update(`1796202005.${body}`).digest('hex')}`);
    expect(verifyWebhookSignature('whsec_test', body, header, at)).toBe(true);
  });

  it('does not verify with another secret, another body, or a stale timestamp', () => {
    const at = new Date('2026-12-02T09:00:00Z');
    const header = signWebhook('whsec_test', 'body', at);
    expect(verifyWebhookSignature('whsec_other', 'body', header, at)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', 'body!', header, at)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', 'body', header, new Date(at.getTime() + 301_000))).toBe(false);
    expect(verifyWebhookSignature('whsec_test', 'body', 't=1,v1=zz', at)).toBe(false);
  });
});

describe('events of history rows', () => {
  it('maps status, enrolment and certificate rows to their event and everything else to none', () => {
    expect(webhookEventOf({ field: 'status', old_value: 'enrolled', new_value: 'completed', note: null })).toBe('enrolment.status_changed');
    expect(webhookEventOf({ field: 'status', old_value: null, new_value: 'run_choice_required', note: 'programme:P' })).toBe('enrolment.created');
    expect(webhookEventOf({ field: 'enrolment', old_value: null, new_value: 'enrolled', note: null })).toBe('enrolment.created');
    expect(webhookEventOf({ field: 'enrolment', old_value: null, new_value: 'R1', note: 'run_chosen' })).toBeNull();
    expect(webhookEventOf({ field: 'enrolment', old_value: 'enrolled', new_value: null, note: 'removed' })).toBe('enrolment.cancelled');
    expect(webhookEventOf({ field: 'enrolment', old_value: null, new_value: null, note: 'anonymised' })).toBeNull();
    expect(webhookEventOf({ field: 'certificate', old_value: null, new_value: 'PRS-1', note: 'issued' })).toBe('certificate.issued');
    expect(webhookEventOf({ field: 'certificate', old_value: 'PRS-1', new_value: null, note: 'reason' })).toBe('certificate.revoked');
    expect(webhookEventOf({ field: 'attendance', old_value: null, new_value: 'present', note: null })).toBeNull();
    expect(webhookEventOf({ field: 'course', old_value: null, new_value: '{}', note: null })).toBeNull();
  });

  it('builds the payload with the ids of the JSON API', () => {
    expect(webhookPayload({ deliveryId: 'D1', type: 'enrolment.status_changed', history })).toEqual({
      id: 'D1',
      type: 'enrolment.status_changed',
      occurredAt: '2026-12-02T09:00:00.000Z',
      data: { historyId: 'H1', userId: 'U1', runId: 'R1', enrolmentId: 'E1', source: 'teacher_form', from: 'enrolled', to: 'completed', note: null },
    });
    expect(webhookPayload({ deliveryId: 'D2', type: 'certificate.issued', history: { ...history, old_value: null, new_value: 'PRS-2026-ABCDEFGH' }, verificationCode: 'K7QX' }).data).toMatchObject({
      certificateNumber: 'PRS-2026-ABCDEFGH',
      verificationCode: 'K7QX',
      enrolmentId: 'E1',
    });
    expect(webhookPayload({ deliveryId: 'D3', type: 'certificate.revoked', history: { ...history, old_value: 'PRS-1', new_value: null, note: 'fout' } }).data).toMatchObject({ certificateNumber: 'PRS-1', reason: 'fout', verificationCode: null });
    expect(webhookPayload({ deliveryId: 'D4', type: 'enrolment.cancelled', history: { ...history, new_value: null } }).data).toMatchObject({ previousStatus: 'enrolled' });
    expect(webhookPayload({ deliveryId: 'D5', type: 'enrolment.created', history: { ...history, old_value: null, new_value: 'enrolled' } }).data).toMatchObject({ status: 'enrolled' });
  });
});

describe('a subscription', () => {
  it('takes an http or https address and at least one known event', () => {
    expect(planWebhook({ url: ' https://hr.example.org/hooks ', events: ['certificate.issued', 'nonsense'] })).toEqual({ ok: true, url: 'https://hr.example.org/hooks', events: ['certificate.issued'] });
    expect(planWebhook({ url: 'http://127.0.0.1:8080/x', events: ['enrolment.created'] }).ok).toBe(true);
  });

  it('refuses other schemes, credentials in the address, junk and no events', () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://example.org/', 'data:text/plain,x']) expect(planWebhook({ url, events: ['certificate.issued'] })).toEqual({ ok: false, problems: { url: 'url_scheme' } });
    expect(planWebhook({ url: 'https://user:pw@example.org/', events: ['certificate.issued'] })).toEqual({ ok: false, problems: { url: 'url_invalid' } });
    expect(planWebhook({ url: 'not a url', events: [] })).toEqual({ ok: false, problems: { url: 'url_invalid', events: 'events_required' } });
    expect(planWebhook({ url: '', events: ['x'] })).toEqual({ ok: false, problems: { url: 'url_required', events: 'events_required' } });
    expect(planWebhook({ url: `https://example.org/${'a'.repeat(2000)}`, events: ['certificate.issued'] })).toEqual({ ok: false, problems: { url: 'url_too_long' } });
  });
});
