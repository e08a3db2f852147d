import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../testing/factories.ts';
import { escapeHtml, expectNoRawMarkup, pdfInfo, pdfTextLines, withCharacterReferencesRead } from '../testing/hostile.ts';
import { TestBrowser, testApp } from '../testing/http.ts';

/**
 * A name with markup, quotes, an ampersand, right-to-left text (Arabic and an override) and emoji,
 * on every page that shows a name: escaped exactly as Hono escapes, and otherwise intact.
 */
const NAME = `<script>alert(1)</script> "Ann" O'Neil & <b>Ann</b> \u202Eevil\u202C مرحبا 👩🏽‍🏫`;
const TEACHER = `<img src=x onerror=alert(1)> 'Dirk' "de docent" عربي 🎓`;

describeEachDatabase('hostile names', (store) => {
  const db = () => store().db;

  async function setUp() {
    const app = testApp(store());
    const teacher = await makeUser(db(), ['teacher'], TEACHER);
    const admin = await makeUser(db(), ['admin']);
    const person = await makeUser(db(), ['participant'], NAME);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7, -1, 7] });
    const e = await enrol(db(), run, person.id);
    const browsers = {
      teacher: await TestBrowser.signedIn(app, store(), teacher.id),
      admin: await TestBrowser.signedIn(app, store(), admin.id),
      person: await TestBrowser.signedIn(app, store(), person.id),
    };
    return { app, teacher, person, run, e, browsers };
  }

  function expectEscapedName(html: string, name: string, where: string) {
    expect(withCharacterReferencesRead(html), where).toContain(escapeHtml(name));
    expectNoRawMarkup(html, where);
    expect(html, where).not.toContain('<img src=x');
  }

  it('shows the name escaped and intact on the teacher, participant, account, admin and verification pages', async () => {
    const { person, run, e, browsers } = await setUp();
    const rowFields = (status: string, extra: [string, string][] = []): [string, string][] => [
      ['row', e.id],
      [`version.${e.id}`, '1'],
      [`status.${e.id}`, status],
      [`effort.${e.id}`, 'good'],
      [`comment.${e.id}`, ''],
      ...extra,
    ];

    const pages: [string, TestBrowser, string, number][] = [
      ['participants page', browsers.teacher, `/teacher/runs/${run.id}`, 200],
      ['admin user search', browsers.admin, `/admin/users?q=${encodeURIComponent("O'Neil")}`, 200],
      ['admin user page', browsers.admin, `/admin/users/${person.id}`, 200],
      ['home page', browsers.person, '/', 200],
      ['account page', browsers.person, '/account', 200],
    ];
    for (const [where, browser, path, status] of pages) {
      const response = await browser.get(path);
      expect(`${where} ${response.status}`).toBe(`${where} ${status}`);
      expectEscapedName(await response.text(), NAME, where);
    }

    // The confirmation step (Voltooid with a meeting still to come, R2) names the participant.
    const confirm = await browsers.teacher.post(`/teacher/runs/${run.id}`, rowFields('completed', [['meeting', run.meetings[0]!.id]]));
    expect(confirm.status).toBe(200);
    expectEscapedName(await confirm.text(), NAME, 'confirmation step');

    // The anonymisation form refused for want of its confirmation box.
    const refused = await browsers.admin.post(`/admin/users/${person.id}/anonymise`, []);
    expect(refused.status).toBe(422);
    expectEscapedName(await refused.text(), NAME, 'refused anonymisation');

    // The save itself, then a stale page: the conflict banner names whose data changed (R11).
    const saved = await browsers.teacher.post(`/teacher/runs/${run.id}`, rowFields('completed', [['allMeetings', '1'], ['confirmEarly', '1'], [`present.${e.id}`, '1']]));
    expect(saved.status).toBe(303);
    const stale = await browsers.teacher.post(`/teacher/runs/${run.id}`, rowFields('failed'));
    expect(stale.status).toBe(409);
    expectEscapedName(await stale.text(), NAME, 'conflict banner');

    // The participant's own pages, with the teacher's name in the history.
    for (const path of ['/me/enrolments', `/me/enrolments/${e.id}`]) {
      const html = await (await browsers.person.get(path)).text();
      expectNoRawMarkup(html, path);
      expect(html, path).not.toContain('<img src=x');
    }
    expectEscapedName(await (await browsers.person.get(`/me/enrolments/${e.id}`)).text(), TEACHER, 'history');

    // The public verification page and the personal data download.
    const certificate = await db().selectFrom('certificates').selectAll().where('enrolment_id', '=', e.id).executeTakeFirstOrThrow();
    expectEscapedName(await (await browsers.person.get(`/verify/${certificate.verification_code}`)).text(), NAME, 'verification page');
    const data = await (await browsers.person.get('/account/data.json')).json();
    expect(data.profile.name).toBe(NAME);
  });

  it('prints the name in the certificate PDF as text, not as markup, with its metadata intact', async () => {
    const { e, run, browsers } = await setUp();
    const saved = await browsers.teacher.post(`/teacher/runs/${run.id}`, [
      ['row', e.id],
      [`version.${e.id}`, '1'],
      [`status.${e.id}`, 'completed'],
      [`present.${e.id}`, '1'],
      ['allMeetings', '1'],
      ['confirmEarly', '1'],
    ]);
    expect(saved.status).toBe(303);
    const certificate = await db().selectFrom('certificates').selectAll().where('enrolment_id', '=', e.id).executeTakeFirstOrThrow();
    const response = await browsers.person.get(`/me/certificates/${certificate.id}.pdf`);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());

    // The document information carries the whole name, exactly.
    expect(pdfInfo(pdf, 'Subject')?.endsWith(` – ${NAME}`)).toBe(true);
    // The page shows the markup, quotes and ampersand literally (a PDF is no HTML: nothing to escape),
    // and the Arabic letters (laid out right to left, so a reader copies them in visual order).
    const text = pdfTextLines(pdf).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain(`<script>alert(1)</script> "Ann" O'Neil & <b>Ann</b>`);
    expect(text).not.toContain('&lt;');
    for (const letter of 'مرحبا') expect(text).toContain(letter);
    // The emoji are drawn from the emoji font, not as DejaVu's empty boxes. (The monochrome font draws
    // the skin tone with the person as one glyph, which reads back as the person.)
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoEmoji/);
    for (const emoji of ['👩', '🏫']) expect(text).toContain(emoji);
  });
});
