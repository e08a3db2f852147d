import { expect, it } from 'vitest';
import { messages } from '../../i18n/index.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeCertificate, makeRun, makeUser } from '../../testing/factories.ts';
import { pageText } from '../../testing/hostile.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';
import { parseFeed } from '../../testing/ical.ts';
import { pdfPages } from '../../testing/pdf.ts';

const nl = messages('nl');
const SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10" fill="#0a7"/><circle cx="5" cy="5" r="4" fill="#fff"/></svg>';
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describeEachDatabase('organisation branding pages', (store) => {
  const db = () => store().db;

  /** A teacher's run with a participant holding a certificate, and a browser for each of the three. */
  async function scene() {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const teacher = await makeUser(db(), ['teacher']);
    const participant = await makeUser(db(), ['participant'], 'Ann Peeters');
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7, 7] });
    const e = await enrol(db(), run, participant.id);
    await db().updateTable('enrolments').set({ status: 'completed' }).where('id', '=', e.id).execute();
    const certificate = await makeCertificate(db(), { enrolmentId: e.id, userId: participant.id, courseId: run.courseId });
    return {
      app,
      run,
      certificate,
      admin: await TestBrowser.signedIn(app, store(), admin.id),
      teacher: await TestBrowser.signedIn(app, store(), teacher.id),
      participant: await TestBrowser.signedIn(app, store(), participant.id),
    };
  }

  /** The text of the certificate, the run's attendance sheet and the participant's transcript. */
  async function documents(s: Awaited<ReturnType<typeof scene>>) {
    const text = async (browser: TestBrowser, path: string) => {
      const response = await browser.get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe('application/pdf');
      return (await pdfPages(Buffer.from(await response.arrayBuffer()))).join('\n');
    };
    return {
      certificate: await text(s.participant, `/me/certificates/${s.certificate.id}.pdf`),
      sheet: await text(s.teacher, `/teacher/runs/${s.run.id}/attendance-sheet.pdf`),
      transcript: await text(s.participant, '/me/study-points.pdf'),
    };
  }

  it('puts the organisation’s name and signatory on certificates, attendance sheets, transcripts and the verification page', async () => {
    const s = await scene();
    const before = await documents(s);
    for (const text of Object.values(before)) expect(text).toContain('PRESENTIA');

    const saved = await s.admin.post('/admin/branding', [
      ['name', 'Opleidingscentrum Vlaanderen'],
      ['signatoryName', 'An De Smet'],
      ['signatoryTitle', 'Directeur'],
      ['logo', new Blob([SVG], { type: 'application/octet-stream' })],
    ]);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/admin/branding#flash');
    const page = pageText(await (await s.admin.get('/admin/branding')).text());
    expect(page).toContain(nl.branding.saved);
    expect(page).toContain('value="Opleidingscentrum Vlaanderen"');

    const after = await documents(s);
    for (const [kind, text] of Object.entries(after)) {
      expect(text, kind).toContain('OPLEIDINGSCENTRUM VLAANDEREN');
      expect(text, kind).not.toContain('PRESENTIA');
      expect(text, kind).toContain('An De Smet');
      expect(text, kind).toContain('Directeur');
    }
    const verify = pageText(await (await s.app.request(`/verify/${s.certificate.verificationCode}`)).text());
    const verifyText = verify.replace(/<[^>]+>/g, '');
    expect(verifyText).toContain('Opleidingscentrum Vlaanderen');
    expect(verifyText).toContain(`${nl.branding.signatory}: An De Smet, Directeur`);
    const logoPath = /<img src="(\/organisation\/logo\?v=[\w-]+)"/.exec(verify)![1]!;
    const logo = await s.app.request(logoPath);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    expect(logo.headers.get('content-security-policy')).toContain('sandbox');
    expect(await logo.text()).toBe(SVG);

    // The participant's calendar feed is named after the organisation.
    await s.participant.post('/account/calendar', []);
    const address = /id="calendar-address"[^>]*value="([^"]+)"/.exec(await (await s.participant.get('/account')).text())![1]!;
    expect(parseFeed(await (await s.app.request(new URL(address).pathname)).text()).name).toBe('Opleidingscentrum Vlaanderen: Mijn bijeenkomsten');

    // A PNG replaces it, and the documents still render with it.
    expect((await s.admin.post('/admin/branding', [['name', 'Opleidingscentrum Vlaanderen'], ['signatoryName', 'An De Smet'], ['signatoryTitle', 'Directeur'], ['logo', new Blob([PNG])]])).status).toBe(303);
    expect((await s.app.request('/organisation/logo')).headers.get('content-type')).toBe('image/png');
    expect((await documents(s)).certificate).toContain('OPLEIDINGSCENTRUM VLAANDEREN');
  });

  it('refuses an SVG with a script, keeping every value entered and saying why beside the field', async () => {
    const s = await scene();
    const refused = await s.admin.post('/admin/branding', [
      ['name', 'Nieuwe naam <b>'],
      ['signatoryName', 'Jan Janssens'],
      ['signatoryTitle', 'Coördinator'],
      ['logo', new Blob(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'])],
    ]);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(pageText(html)).toContain(nl.branding.errors.logo_unsafe);
    expect(html).toContain('value="Nieuwe naam &lt;b&gt;"');
    expect(html).toContain('value="Jan Janssens"');
    expect(html).toContain('value="Coördinator"');
    const stored = await db().selectFrom('organisation_branding').select('name').execute();
    expect(stored.map((r) => r.name)).not.toContain('Nieuwe naam <b>');
    // A JPEG is not a logo either.
    const jpeg = await s.admin.post('/admin/branding', [['name', 'X'], ['logo', new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0])])]]);
    expect(jpeg.status).toBe(422);
    expect(pageText(await jpeg.text())).toContain(nl.branding.errors.logo_type);
  });
});
