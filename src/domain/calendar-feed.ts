/**
 * A person's private calendar feed (iCalendar, RFC 5545): which meetings it holds and how each is
 * described. Pure: the service loads the meetings and renders the events with an iCalendar library.
 */

/** Random bytes in a feed token (256 bits): the address is the only thing guarding the feed. */
export const FEED_TOKEN_BYTES = 32;
/** A feed shows meetings that ended at most this many days ago, and every later one. */
export const FEED_HISTORY_DAYS = 365;
/** What a token in an address looks like (base64url of FEED_TOKEN_BYTES); anything else is not looked up. */
export const FEED_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function isFeedToken(text: string): boolean {
  return FEED_TOKEN_PATTERN.test(text);
}

/** The earliest meeting end a feed made at `now` still shows. */
export function feedSince(now: Date): string {
  return new Date(now.getTime() - FEED_HISTORY_DAYS * 86_400_000).toISOString();
}

/** A meeting as the feed's query loads it. */
export interface FeedMeetingInput {
  id: string;
  starts_at: string;
  ends_at: string;
  place: string;
  run_code: string;
  run_cancelled_at: string | null;
  course_title: string;
  course_cancelled_at: string | null;
  teaches: boolean;
}

/** One event of the feed; times are instants, rendered in Brussels time. */
export interface FeedEvent {
  /** Stable across renewals and edits, so a calendar updates the event rather than adding another. */
  uid: string;
  startsAt: string;
  endsAt: string;
  summary: string;
  location: string;
  description: string;
  cancelled: boolean;
}

export interface FeedLabels {
  /** The summary of a meeting the person teaches. */
  teaching: (courseTitle: string) => string;
  cancelled: string;
  run: (code: string) => string;
}

/** The events of a feed: one per meeting, cancelled when its run or course was cancelled. */
export function feedEvents(meetings: readonly FeedMeetingInput[], labels: FeedLabels, uidDomain: string): FeedEvent[] {
  return meetings.map((m) => {
    const cancelled = m.run_cancelled_at !== null || m.course_cancelled_at !== null;
    return {
      uid: `meeting-${m.id}@${uidDomain}`,
      startsAt: m.starts_at,
      endsAt: m.ends_at,
      summary: m.teaches ? labels.teaching(m.course_title) : m.course_title,
      location: m.place,
      description: cancelled ? `${labels.run(m.run_code)} — ${labels.cancelled}` : labels.run(m.run_code),
      cancelled,
    };
  });
}
