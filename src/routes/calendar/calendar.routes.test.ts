import { expect, it } from 'vitest';
import { messages } from '../../i18n/index.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../../testing/factories.ts';
import { pageText } from '../../testing/hostile.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';
import { parseFeed } from '../../testing/ical.ts';

const nl = messages('nl');

/** The feed address shown in the account page's read-only field, if any. */
function shownAddress(html: string): string | undefined {
  return /id="calendar-address"[^>]*value="([^"]+)"/.exec(html)?.[1] ?? /value="([^"]+)"[^>]*id="calendar-address"/.exec(html)?.[1];
}

describeEachDatabase('calendar feed pages', (store) => {
  const db = () => store().db;

  it('makes an address on Mijn account, shows it once, serves the feed from it, and a renewal ends the old one', async () => {
    const app = testApp(store(), { PUBLIC_URL: 'https://opleidingen.example.org' });
    const teacher = await makeUser(db(), ['teacher']);
    const participant = await makeUser(db());
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [7] });
    await db().updateTable('courses').set({ title: 'Eerste hulp voor gevorderden' }).where('id', '=', run.courseId).execute();
    await enrol(db(), run, participant.id);
    const browser = await TestBrowser.signedIn(app, store(), participant.id);

    const before = pageText(await (await browser.get('/account')).text());
    expect(before).toContain(nl.calendarFeed.none);
    expect(before).toContain(nl.calendarFeed.create);

    const made = await browser.post('/account/calendar', []);
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toBe('/account#calendar');
    const shown = await (await browser.get('/account')).text();
    expect(pageText(shown)).toContain(nl.calendarFeed.created);
    const address = shownAddress(shown)!;
    expect(address).toMatch(/^https:\/\/opleidingen\.example\.org\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    // Shown once: the same page again no longer has it, but says an address exists.
    const again = pageText(await (await browser.get('/account')).text());
    expect(shownAddress(again)).toBeUndefined();
    expect(again).toContain(nl.calendarFeed.renew);

    // A calendar program fetches it without a session.
    const path = new URL(address).pathname;
    const feed = await app.request(path);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(feed.headers.get('cache-control')).toBe('private, no-store');
    const events = parseFeed(await feed.text()).events;
    expect(events.map((e) => [e.summary, e.status, e.tzid])).toEqual([['Eerste hulp voor gevorderden', 'CONFIRMED', 'Europe/Brussels']]);
    expect(events[0]!.uid).toBe(`meeting-${run.meetings[0]!.id}@opleidingen.example.org`);

    await browser.post('/account/calendar', []);
    const renewed = shownAddress(await (await browser.get('/account')).text())!;
    expect(renewed).not.toBe(address);
    const old = await app.request(path);
    expect(old.status).toBe(404);
    expect(await old.text()).not.toContain('Eerste hulp voor gevorderden');
    expect((await app.request(new URL(renewed).pathname)).status).toBe(200);
    // The person's data download says when the address was made, and never holds the address or its hash.
    const data = await (await browser.get('/account/data.json')).text();
    expect(JSON.parse(data).calendarFeed).toEqual({ createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(data).not.toContain(new URL(renewed).pathname.slice('/calendar/'.length, -'.ics'.length));
    // Someone else's session cannot show the address made for this one.
    const teachers = await TestBrowser.signedIn(app, store(), teacher.id);
    expect(shownAddress(await (await teachers.get('/account')).text())).toBeUndefined();
  });

  it('answers an unknown or malformed address with not found', async () => {
    const app = testApp(store());
    for (const path of ['/calendar/onbekend.ics', `/calendar/${'A'.repeat(43)}.ics`, '/calendar/.ics', '/calendar/x']) {
      expect((await app.request(path)).status, path).toBe(404);
    }
  });
});
