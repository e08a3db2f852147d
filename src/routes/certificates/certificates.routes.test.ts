import { expect, it } from 'vitest';
import { newId } from '../../db/index.ts';
import { teacherSaves } from '../../testing/teacher-saves.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

describeEachDatabase('certificate routes', (store) => {
  const db = () => store().db;

  async function setUp(options: { name?: string; env?: Record<string, string> } = {}) {
    const app = testApp(store(), options.env);
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7, -1], points: 1.5 });
    const holder = await makeUser(db(), ['participant'], options.name ?? 'Łukasz Ærøskøbing');
    const e = await enrol(db(), run, holder.id);
    await teacherSaves(db(), teacher, run.id, e.id, { present: true, allMeetings: true, status: 'completed' });
    const cert = await db().selectFrom('certificates').selectAll().where('enrolment_id', '=', e.id).executeTakeFirstOrThrow();
    const browser = await TestBrowser.signedIn(app, store(), holder.id);
    return { app, teacher, run, holder, e, cert, browser };
  }

  it('downloads the holder\'s certificate as a PDF attachment pointing to the public verification page (R3)', async () => {
    const { cert, browser } = await setUp({ env: { PUBLIC_URL: 'https://presentia.example.org/' } });
    const response = await browser.get(`/me/certificates/${cert.id}.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="certificaat-${cert.number}.pdf"`);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain(`https://presentia.example.org/verify/${cert.verification_code}`);
  });

  it('points the QR code at the request\'s own origin when no PUBLIC_URL is set', async () => {
    const { cert, browser } = await setUp();
    const pdf = Buffer.from(await (await browser.get(`/me/certificates/${cert.id}.pdf`)).arrayBuffer());
    expect(pdf.toString('latin1')).toContain(`http://localhost/verify/${cert.verification_code}`);
  });

  it('lets an administrator download it, but not another participant or the teacher', async () => {
    const { app, teacher, cert } = await setUp();
    const admin = await makeUser(db(), ['admin']);
    const adminResponse = await (await TestBrowser.signedIn(app, store(), admin.id)).get(`/me/certificates/${cert.id}.pdf`);
    expect(adminResponse.status).toBe(200);
    for (const user of [await makeUser(db(), ['participant']), teacher]) {
      const response = await (await TestBrowser.signedIn(app, store(), user.id)).get(`/me/certificates/${cert.id}.pdf`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).not.toContain(cert.number);
    }
    const anonymous = await app.request(`/me/certificates/${cert.id}.pdf`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
    const unknown = await (await TestBrowser.signedIn(app, store(), admin.id)).get(`/me/certificates/${newId()}.pdf`);
    expect(unknown.status).toBe(404);
  });

  it('verifies publicly: valid, then revoked once the teacher sets a non-completed status', async () => {
    const { app, teacher, run, e, cert } = await setUp();
    const valid = await app.request(`/verify/${cert.verification_code}`);
    expect(valid.status).toBe(200);
    expect(valid.headers.get('cache-control')).toBe('no-store');
    expect(valid.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    const page = await valid.text();
    for (const text of ['Geldig certificaat', '<bdi>Łukasz Ærøskøbing</bdi>', 'Eerste hulp op de werkvloer', `<td>${cert.number}</td>`, '<td>3</td>']) {
      expect(page).toContain(text);
    }

    await teacherSaves(db(), teacher, run.id, e.id, { status: 'failed' });
    const revoked = await app.request(`/verify/${cert.verification_code}`);
    expect(revoked.status).toBe(200);
    const revokedPage = await revoked.text();
    expect(revokedPage).toContain('Certificaat ingetrokken');
    expect(revokedPage).toMatch(/Dit certificaat werd ingetrokken op \d{1,2} \S+ \d{4}/);
    expect(revokedPage).not.toContain('Łukasz');
  });

  it('refuses to print a revoked certificate with a clear message', async () => {
    const { teacher, run, e, cert, browser } = await setUp();
    await teacherSaves(db(), teacher, run.id, e.id, { status: 'absent' });
    const response = await browser.get(`/me/certificates/${cert.id}.pdf`);
    expect(response.status).toBe(410);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('Het is niet meer geldig en kan niet meer gedownload worden.');
    const list = await (await browser.get(`/me/enrolments/${e.id}`)).text();
    expect(list).toContain('Ingetrokken op');
    expect(list).not.toContain(`/me/certificates/${cert.id}.pdf`);
  });

  it('calls an unknown code unknown, and offers the code back to correct', async () => {
    const app = testApp(store());
    const response = await app.request('/verify/0000000000000000');
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('Onbekend certificaat');
    expect(html).toContain('value="0000000000000000"');
  });

  it('checks a code typed into the form, however it was copied', async () => {
    const { app, cert } = await setUp();
    const form = await app.request('/verify');
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('<label for="verification-code">Verificatiecode</label>');
    expect(html).toContain('<form method="get" action="/verify"');

    const typed = `${cert.verification_code.slice(0, 8).toLowerCase()}-${cert.verification_code.slice(8)}`;
    const redirect = await app.request(`/verify?code=${encodeURIComponent(typed)}`);
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe(`/verify/${cert.verification_code}`);

    const garbage = await app.request(`/verify?code=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(garbage.status).toBe(404);
    const garbageHtml = await garbage.text();
    expect(garbageHtml).toContain('Onbekend certificaat');
    expect(garbageHtml).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('escapes a holder\'s name with markup, right-to-left text and emoji, and speaks English on request', async () => {
    const name = '<script>alert(1)</script> مرحبا بالعالم 👩🏽‍🏫';
    const { app, cert } = await setUp({ name });
    const html = await (await app.request(`/verify/${cert.verification_code}`)).text();
    expect(html).toContain('<bdi>&lt;script&gt;alert(1)&lt;/script&gt; مرحبا بالعالم 👩🏽‍🏫</bdi>');
    expect(html).not.toContain('<script>alert(1)</script>');

    const english = await (await app.request(`/verify/${cert.verification_code}`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } })).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('Valid certificate');
  });
});
