import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { nowIso, type Db } from '../db/index.ts';
import { FEED_TOKEN_BYTES, feedEvents, feedSince, isFeedToken } from '../domain/calendar-feed.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { messages, type Locale } from '../i18n/index.ts';
import { getBranding } from '../repositories/branding.ts';
import { getFeedCreatedAt, getFeedOwner, listFeedMeetings, replaceFeedToken } from '../repositories/calendar-feeds.ts';
import type { Actor } from './actor.ts';

/** The stored form of a feed token: its SHA-256, so the database never holds a usable address. */
export function feedTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Gives the actor a new secret feed address (the first, or a renewal): the token is returned once,
 * to be shown in the address, and only its hash is stored; the previous address stops working in
 * the same write.
 */
export async function renewCalendarFeed(db: Db, actor: Actor, now: Date = new Date()): Promise<{ token: string }> {
  const token = randomBytes(FEED_TOKEN_BYTES).toString('base64url');
  await db.transaction().execute((trx) => replaceFeedToken(trx, actor.id, feedTokenHash(token), nowIso(now)));
  return { token };
}

/** When the actor's current feed address was made, or undefined when they have none. */
export async function getCalendarFeedState(db: Db, actor: Actor): Promise<{ createdAt: string | undefined }> {
  return { createdAt: await getFeedCreatedAt(db, actor.id) };
}

/**
 * The iCalendar text of the feed whose address holds `token`: the owner's meetings (taught, or of
 * runs they take part in) from FEED_HISTORY_DAYS ago on, in Brussels time with its VTIMEZONE, a
 * cancelled run's meetings marked CANCELLED. An unknown, renewed or malformed token, or the feed of
 * a deactivated or anonymised person, is "not found".
 */
export async function calendarFeedFor(db: Db, token: string, options: { uidDomain: string; now?: Date }): Promise<{ ics: string; locale: Locale }> {
  if (!isFeedToken(token)) throw new NotFoundOrNoAccess();
  const hash = feedTokenHash(token);
  const owner = await getFeedOwner(db, hash);
  // The row was found by its hash; comparing again in constant time keeps the check itself free of timing leaks.
  if (!owner || !timingSafeEqual(Buffer.from(owner.token_hash, 'hex'), Buffer.from(hash, 'hex'))) throw new NotFoundOrNoAccess();
  const now = options.now ?? new Date();
  const locale: Locale = owner.locale ?? 'nl';
  const t = messages(locale).calendarFeed;
  const [meetings, branding] = await Promise.all([listFeedMeetings(db, owner.user_id, feedSince(now)), getBranding(db)]);
  // The calendar's name says whose meetings these are when the organisation set its own name.
  const name = branding?.name ? `${branding.name}: ${t.calendarName}` : t.calendarName;
  const events = feedEvents(meetings, { teaching: t.teaching, cancelled: t.cancelled, run: t.run }, options.uidDomain);
  // Loaded at the first feed, not at start-up (bench G), like the PDF code.
  const { renderCalendar } = await import('./calendar-ics.ts');
  return { ics: renderCalendar(events, { name, stamp: now }), locale };
}
