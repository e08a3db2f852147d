import { expect, it } from 'vitest';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeRun, makeUser } from '../testing/factories.ts';
import { parseFeed } from '../testing/ical.ts';
import { calendarFeedFor, renewCalendarFeed } from './calendar-feed.ts';

/** 1 December 2026: the feed shows meetings from a year before on. */
const NOW = new Date('2026-12-01T10:00:00Z');
const options = { uidDomain: 'presentia.test', now: NOW };

describeEachDatabase('calendar feeds', (store) => {
  const db = () => store().db;

  /** A run taught by `teacherId` whose meetings start and end at the given instants. */
  async function runAt(teacherId: string, times: [string, string][], title = 'Brandpreventie') {
    const run = await makeRun(db(), { teacherId, meetingDays: times.map((_, i) => i) });
    await db().updateTable('courses').set({ title }).where('id', '=', run.courseId).execute();
    for (const [i, [startsAt, endsAt]] of times.entries()) {
      await db().updateTable('meetings').set({ starts_at: startsAt, ends_at: endsAt }).where('id', '=', run.meetings[i]!.id).execute();
    }
    return run;
  }

  it('gives teacher and participant their meetings in Brussels time, keeping 09:00 on both daylight-saving Sundays', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const participant = await makeUser(db());
    // Last Sunday of March 2027 (clocks go forward at 02:00) and of October 2027 (back at 03:00):
    // 09:00 in Brussels is 07:00 UTC on the first and 08:00 UTC on the second.
    const run = await runAt(teacher.id, [
      ['2027-03-28T07:00:00.000Z', '2027-03-28T10:00:00.000Z'],
      ['2027-10-31T08:00:00.000Z', '2027-10-31T11:00:00.000Z'],
    ]);
    await enrol(db(), run, participant.id);

    for (const [who, summary] of [
      [participant, 'Brandpreventie'],
      [teacher, 'Brandpreventie (lesgeven)'],
    ] as const) {
      const { token } = await renewCalendarFeed(db(), actorOf(who));
      const feed = parseFeed((await calendarFeedFor(db(), token, options)).ics);
      expect(feed.timezones).toEqual(['Europe/Brussels']);
      expect(feed.name).toBe('Mijn bijeenkomsten');
      expect(feed.events.map((e) => [e.summary, e.tzid, e.startWallClock, e.endWallClock, e.startsAt, e.status])).toEqual([
        [summary, 'Europe/Brussels', '2027-03-28 09:00', '2027-03-28 12:00', '2027-03-28T07:00:00.000Z', 'CONFIRMED'],
        [summary, 'Europe/Brussels', '2027-10-31 09:00', '2027-10-31 12:00', '2027-10-31T08:00:00.000Z', 'CONFIRMED'],
      ]);
      expect(feed.events[0]!.uid).toBe(`meeting-${run.meetings[0]!.id}@presentia.test`);
      expect(feed.events[0]!.location).toBe('Gent');
    }
  });

  it('shows a cancelled run’s meetings as cancelled, and leaves out runs the person withdrew from or that ended over a year ago', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const participant = await makeUser(db());
    const cancelled = await runAt(teacher.id, [['2027-02-01T08:00:00.000Z', '2027-02-01T11:00:00.000Z']], 'Geannuleerde cursus');
    await enrol(db(), cancelled, participant.id, { status: 'cancelled' });
    await db().updateTable('runs').set({ cancelled_at: '2026-11-20T10:00:00.000Z', cancel_reason: 'Te weinig inschrijvingen' }).where('id', '=', cancelled.id).execute();
    const withdrawn = await runAt(teacher.id, [['2027-02-02T08:00:00.000Z', '2027-02-02T11:00:00.000Z']], 'Uitgeschreven cursus');
    await enrol(db(), withdrawn, participant.id, { status: 'withdrawn_valid', withdrawnOn: '2026-11-01' });
    const old = await runAt(teacher.id, [['2025-11-01T08:00:00.000Z', '2025-11-01T11:00:00.000Z']], 'Oude cursus');
    await enrol(db(), old, participant.id);
    const recent = await runAt(teacher.id, [['2026-01-05T08:00:00.000Z', '2026-01-05T11:00:00.000Z']], 'Recente cursus');
    await enrol(db(), recent, participant.id, { status: 'completed' });

    const { token } = await renewCalendarFeed(db(), actorOf(participant));
    const feed = parseFeed((await calendarFeedFor(db(), token, options)).ics);
    expect(feed.events.map((e) => [e.summary, e.status])).toEqual([
      ['Recente cursus', 'CONFIRMED'],
      ['Geannuleerde cursus', 'CANCELLED'],
    ]);
  });

  it('renewing the address ends the old one; another person’s token gives nothing of yours; a malformed token is not found', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const alice = await makeUser(db());
    const bob = await makeUser(db());
    const alicesRun = await runAt(teacher.id, [['2027-01-10T08:00:00.000Z', '2027-01-10T11:00:00.000Z']], 'Cursus van Alice');
    await enrol(db(), alicesRun, alice.id);
    const bobsRun = await runAt(teacher.id, [['2027-01-11T08:00:00.000Z', '2027-01-11T11:00:00.000Z']], 'Cursus van Bob');
    await enrol(db(), bobsRun, bob.id);

    const first = await renewCalendarFeed(db(), actorOf(alice));
    const second = await renewCalendarFeed(db(), actorOf(alice));
    expect(second.token).not.toBe(first.token);
    await expect(calendarFeedFor(db(), first.token, options)).rejects.toThrow(NotFoundOrNoAccess);
    expect(parseFeed((await calendarFeedFor(db(), second.token, options)).ics).events.map((e) => e.summary)).toEqual(['Cursus van Alice']);

    const bobs = await renewCalendarFeed(db(), actorOf(bob));
    expect(parseFeed((await calendarFeedFor(db(), bobs.token, options)).ics).events.map((e) => e.summary)).toEqual(['Cursus van Bob']);

    // Only the hash is stored.
    const rows = await db().selectFrom('calendar_feeds').select('token_hash').where('user_id', 'in', [alice.id, bob.id]).execute();
    expect(rows.map((r) => r.token_hash).some((h) => h === second.token || h === bobs.token)).toBe(false);

    for (const bad of ['', 'x', `${second.token}x`, second.token.toUpperCase() === second.token ? 'A'.repeat(43) : second.token.toUpperCase()]) {
      await expect(calendarFeedFor(db(), bad, options)).rejects.toThrow(NotFoundOrNoAccess);
    }
    // A deactivated person's feed stops too.
    await db().updateTable('users').set({ deactivated_at: NOW.toISOString() }).where('id', '=', bob.id).execute();
    await expect(calendarFeedFor(db(), bobs.token, options)).rejects.toThrow(NotFoundOrNoAccess);
  });
});
