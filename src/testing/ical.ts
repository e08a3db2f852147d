import ICAL from 'ical.js';

/** One event of a feed as an independent iCalendar parser (Mozilla's ical.js) reads it. */
export interface ParsedEvent {
  uid: string;
  summary: string;
  location: string;
  status: string;
  /** The time zone the start is given in, and its wall-clock time there (`YYYY-MM-DD HH:MM`). */
  tzid: string;
  startWallClock: string;
  endWallClock: string;
  /** The instants, as the parser computes them from the feed's own VTIMEZONE. */
  startsAt: string;
  endsAt: string;
}

/**
 * Parses an iCalendar text with ical.js, using only the time zones the file itself defines
 * (VTIMEZONE): what a calendar program that knows no zones of its own would make of it.
 */
export function parseFeed(text: string): { name: string; timezones: string[]; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  const timezones = calendar.getAllSubcomponents('vtimezone').map((vtz) => {
    const zone = new ICAL.Timezone(vtz);
    ICAL.TimezoneService.register(zone, zone.tzid);
    return zone.tzid;
  });
  const wall = (t: ICAL.Time) => `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = vevent.getFirstProperty('dtstart')!;
    return {
      uid: event.uid,
      summary: event.summary,
      location: event.location,
      status: String(vevent.getFirstPropertyValue('status') ?? ''),
      tzid: String(start.getParameter('tzid') ?? ''),
      startWallClock: wall(event.startDate),
      endWallClock: wall(event.endDate),
      startsAt: event.startDate.toJSDate().toISOString(),
      endsAt: event.endDate.toJSDate().toISOString(),
    };
  });
  return { name: String(calendar.getFirstPropertyValue('x-wr-calname') ?? ''), timezones, events };
}
