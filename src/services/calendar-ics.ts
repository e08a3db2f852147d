import { TZDate } from '@date-fns/tz';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { ICalCalendar, ICalEventStatus } from 'ical-generator';
import type { FeedEvent } from '../domain/calendar-feed.ts';
import { TIME_ZONE } from '../domain/dates.ts';

/**
 * The events as an iCalendar file, made by ical-generator: every time with TZID=Europe/Brussels (the
 * wall-clock time in Brussels) and the zone's VTIMEZONE, so calendars keep 09:00 at 09:00 on either
 * side of a daylight-saving change; DTSTAMP in UTC.
 */
export function renderCalendar(events: readonly FeedEvent[], options: { name: string; stamp: Date }): string {
  const calendar = new ICalCalendar({ name: options.name, prodId: { company: 'Presentia', product: 'Presentia', language: 'NL' } });
  // No calendar-wide zone (it would turn DTSTAMP into local time); each event names Brussels, and the
  // generator adds that zone's VTIMEZONE.
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  calendar.ttl(60 * 60);
  for (const e of events) {
    calendar.createEvent({
      id: e.uid,
      timezone: TIME_ZONE,
      start: new TZDate(e.startsAt, TIME_ZONE),
      end: new TZDate(e.endsAt, TIME_ZONE),
      stamp: options.stamp,
      summary: e.summary,
      location: e.location,
      description: e.description,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      // A cancellation is a new revision of the event: calendars that compare SEQUENCE take it.
      sequence: e.cancelled ? 1 : 0,
    });
  }
  return calendar.toString();
}
