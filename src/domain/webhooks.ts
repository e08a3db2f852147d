import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HistoryTable } from '../db/schema.ts';

/*
 * Webhooks, as rules: which history rows are which events, what a delivery's body says, how it is
 * signed, and which subscriptions an administrator may register. Nothing here does IO.
 */

/** The outbox channel of webhook deliveries. */
export const WEBHOOK_CHANNEL = 'webhook';

/** The event types, stable ids that receivers switch on. */
export const WEBHOOK_EVENTS = ['enrolment.created', 'enrolment.status_changed', 'enrolment.cancelled', 'certificate.issued', 'certificate.revoked'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Header names of a delivery. */
export const SIGNATURE_HEADER = 'Presentia-Signature';
export const EVENT_HEADER = 'Presentia-Event';
export const DELIVERY_HEADER = 'Presentia-Delivery';

/** How long a receiver has to answer one delivery. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** A receiver should refuse a signature older than this (the timestamp is signed with the body). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Every secret starts with this, so that secret scanners and people recognise one. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const MAX_WEBHOOK_URL = 2000;

/**
 * Which history row raises which event: the row's field, and whether its old and new value are set.
 * One table read two ways: `webhookEventOf` (a row in memory) and the repository's SQL (rows written
 * by an insert-select, like the study-term sweep's), so the two never disagree.
 */
export interface EventRule {
  type: WebhookEvent;
  field: 'status' | 'enrolment' | 'certificate';
  old: 'set' | 'null';
  new: 'set' | 'null';
  /** A note that makes the row something else (choosing a run is not a new enrolment). */
  unlessNote?: string;
}

export const EVENT_RULES: readonly EventRule[] = [
  // A status replacing another; a first status is the enrolment being made (a programme's courses).
  { type: 'enrolment.status_changed', field: 'status', old: 'set', new: 'set' },
  { type: 'enrolment.created', field: 'status', old: 'null', new: 'set' },
  // Placed in a run (by an administrator, the API, an import, or from the waiting list).
  { type: 'enrolment.created', field: 'enrolment', old: 'null', new: 'set', unlessNote: 'run_chosen' },
  // An enrolment removed from its run by an administrator.
  { type: 'enrolment.cancelled', field: 'enrolment', old: 'set', new: 'null' },
  { type: 'certificate.issued', field: 'certificate', old: 'null', new: 'set' },
  { type: 'certificate.revoked', field: 'certificate', old: 'set', new: 'null' },
];

/** The parts of a history row that decide its event (a missing value reads as null, as stored). */
type HistoryFacts = Pick<HistoryTable, 'field'> & Partial<Pick<HistoryTable, 'old_value' | 'new_value' | 'note'>>;

/** The event a history row raises, or null (most rows raise none: attendance, effort, points, ...). */
export function webhookEventOf(row: HistoryFacts): WebhookEvent | null {
  const holds = (value: string | null | undefined, want: 'set' | 'null') => (want === 'set' ? value != null : value == null);
  for (const rule of EVENT_RULES) {
    if (rule.field !== row.field || !holds(row.old_value, rule.old) || !holds(row.new_value, rule.new)) continue;
    if (rule.unlessNote !== undefined && (row.note ?? '') === rule.unlessNote) continue;
    return rule.type;
  }
  return null;
}

/** What a delivery is made from: its outbox row and the history row of the event. */
export interface WebhookEventSource {
  deliveryId: string;
  type: WebhookEvent;
  history: Pick<HistoryTable, 'id' | 'at' | 'source' | 'user_id' | 'enrolment_id' | 'run_id' | 'old_value' | 'new_value' | 'note'>;
  /** The certificate's verification code (certificate events), the key of GET /api/v1/certificates/{code}. */
  verificationCode?: string | null;
}

export interface WebhookPayload {
  /** The delivery's id, the same at every attempt (also in the Presentia-Delivery header). */
  id: string;
  type: WebhookEvent;
  occurredAt: string;
  data: Record<string, string | null>;
}

/**
 * The body of a delivery. Ids are those of the JSON API: `userId` (/api/v1/users), `runId`
 * (/api/v1/runs/{runId}), `enrolmentId` (/api/v1/runs/{runId}/enrolments), `historyId` (/api/v1/history).
 */
export function webhookPayload(event: WebhookEventSource): WebhookPayload {
  const h = event.history;
  const common = { historyId: h.id, userId: h.user_id, runId: h.run_id, enrolmentId: h.enrolment_id, source: h.source };
  let data: Record<string, string | null>;
  switch (event.type) {
    case 'enrolment.status_changed':
      data = { ...common, from: h.old_value, to: h.new_value, note: h.note };
      break;
    case 'enrolment.created':
      data = { ...common, status: h.new_value };
      break;
    case 'enrolment.cancelled':
      data = { ...common, previousStatus: h.old_value };
      break;
    case 'certificate.issued':
      data = { ...common, certificateNumber: h.new_value, verificationCode: event.verificationCode ?? null };
      break;
    case 'certificate.revoked':
      data = { ...common, certificateNumber: h.old_value, verificationCode: event.verificationCode ?? null, reason: h.note };
      break;
  }
  return { id: event.deliveryId, type: event.type, occurredAt: h.at, data };
}

/** The signature header's value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/**
 * Whether a signature header is valid for `body`: one of its v1 values is the HMAC of its timestamp
 * and the body, and the timestamp is within `toleranceSeconds` of `now` (what a receiver does).
 */
export function verifyWebhookSignature(secret: string, body: string, header: string, now: Date, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return parts.some(([k, v]) => k === 'v1' && v !== undefined && /^[0-9a-f]{64}$/.test(v) && timingSafeEqual(Buffer.from(v, 'hex'), expected));
}

export type WebhookField = 'url' | 'events';
/** Why a webhook form was refused (i18n keys under `webhooks.problems`). */
export type WebhookProblem = 'url_required' | 'url_too_long' | 'url_invalid' | 'url_scheme' | 'events_required';

export type WebhookPlan = { ok: true; url: string; events: WebhookEvent[] } | { ok: false; problems: Partial<Record<WebhookField, WebhookProblem>> };

/**
 * Checks an administrator's subscription: an absolute http or https address without user name or
 * password in it (no other scheme: no file:, data:, javascript:, ...), and at least one known event.
 */
export function planWebhook(request: { url: string; events: readonly string[] }): WebhookPlan {
  const problems: Partial<Record<WebhookField, WebhookProblem>> = {};
  const text = request.url.trim();
  let url = '';
  if (!text) problems.url = 'url_required';
  else if (text.length > MAX_WEBHOOK_URL) problems.url = 'url_too_long';
  else {
    let parsed: URL | undefined;
    try {
      parsed = new URL(text);
    } catch {
      problems.url = 'url_invalid';
    }
    if (parsed) {
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problems.url = 'url_scheme';
      else if (!parsed.hostname || parsed.username || parsed.password) problems.url = 'url_invalid';
      else url = parsed.href;
    }
  }
  const events = WEBHOOK_EVENTS.filter((e) => request.events.includes(e));
  if (events.length === 0) problems.events = 'events_required';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, url, events };
}
