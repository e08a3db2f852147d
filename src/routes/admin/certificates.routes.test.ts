import { expect, it } from 'vitest';
import { messages } from '../../i18n/index.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeCertificate, makeRun, makeUser } from '../../testing/factories.ts';
import { pageText } from '../../testing/hostile.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

const nl = messages('nl');
const en = messages('en');

describeEachDatabase('the administrator revokes certificates in bulk', (store) => {
  const db = () => store().db;

  async function scene() {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id });
    const certificates = [];
    for (const name of ['Ann Peeters', 'Bram Claes']) {
      const user = await makeUser(db(), ['participant'], name);
      const e = await enrol(db(), run, user.id, { status: 'completed' });
      certificates.push({ ...(await makeCertificate(db(), { enrolmentId: e.id, userId: user.id, courseId: run.courseId })), userId: user.id });
    }
    const code = (await db().selectFrom('runs').select('code').where('id', '=', run.id).executeTakeFirstOrThrow()).code;
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    return { app, browser, run, code, certificates, teacher };
  }
  const revokedAt = async (id: string) => (await db().selectFrom('certificates').select('revoked_at').where('id', '=', id).executeTakeFirstOrThrow()).revoked_at;

  it('lists the filtered certificates, confirms on a second screen, revokes, and says so once after the redirect', async () => {
    const { browser, code, certificates } = await scene();
    const list = await browser.get(`/admin/certificates?run=${encodeURIComponent(code)}`);
    expect(list.status).toBe(200);
    const listed = pageText(await list.text());
    expect(listed).toContain(nl.bulkRevocation.caption('2'));
    expect(listed).toContain('Ann Peeters');

    const fields: [string, string][] = [['run', code], ['scope', 'picked'], ['reason', 'Examen ongeldig verklaard'], ...certificates.map((c): [string, string] => ['certificate', c.id])];
    const confirm = await browser.post('/admin/certificates/revoke', fields);
    expect(confirm.status).toBe(200);
    const confirmText = pageText(await confirm.text());
    expect(confirmText).toContain(nl.bulkRevocation.confirmTitle('2'));
    expect(confirmText).toContain('Reden: Examen ongeldig verklaard');
    expect(await revokedAt(certificates[0]!.id)).toBeNull();

    const done = await browser.post('/admin/certificates/revoke', [...fields, ['confirm', '1']]);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/admin/certificates?run=${encodeURIComponent(code)}`);
    for (const c of certificates) expect(await revokedAt(c.id)).not.toBeNull();
    const after = pageText(await (await browser.get(done.headers.get('location')!)).text());
    expect(after).toContain(nl.bulkRevocation.done('2'));
    expect(after).toContain(nl.bulkRevocation.none);
    expect(pageText(await (await browser.get('/admin/certificates')).text())).not.toContain(nl.bulkRevocation.done('2'));
    // The verification page says revoked.
    const code0 = (await db().selectFrom('certificates').select('verification_code').where('id', '=', certificates[0]!.id).executeTakeFirstOrThrow()).verification_code;
    expect(pageText(await (await browser.get(`/verify/${code0}`)).text())).toContain(nl.certificate.revokedResultTitle);
  });

  it('refuses without a reason or without a certificate, keeping every value, with the reason beside the field', async () => {
    const { browser, code, certificates } = await scene();
    const noReason = await browser.post('/admin/certificates/revoke', [['run', code], ['scope', 'picked'], ['reason', '  '], ['certificate', certificates[1]!.id]]);
    expect(noReason.status).toBe(422);
    const html = await noReason.text();
    expect(pageText(html)).toContain(nl.bulkRevocation.refusals.reason_required);
    expect(html).toMatch(new RegExp(`value="${certificates[1]!.id}"[^>]*checked`));
    expect(html).not.toMatch(new RegExp(`value="${certificates[0]!.id}"[^>]*checked`));
    expect(html).toContain(`value="${code}"`);

    const nothing = await browser.post('/admin/certificates/revoke', [['run', code], ['scope', 'picked'], ['reason', 'Fraude <b>vastgesteld</b>']]);
    expect(nothing.status).toBe(422);
    const text = await nothing.text();
    expect(pageText(text)).toContain(nl.bulkRevocation.refusals.nothing_selected);
    expect(text).toContain('Fraude &lt;b&gt;vastgesteld&lt;/b&gt;');
    for (const c of certificates) expect(await revokedAt(c.id)).toBeNull();
  });

  it('speaks English to an administrator who chose it', async () => {
    const { browser } = await scene();
    await browser.post('/language', [['locale', 'en'], ['next', '/admin/certificates']]);
    const again = await browser.post('/admin/certificates/revoke', [['scope', 'picked'], ['reason', '']]);
    const text = pageText(await again.text());
    expect(text).toContain(en.bulkRevocation.refusals.reason_required);
    expect(text).toContain(en.bulkRevocation.refusals.nothing_selected);
  });

  it('answers a teacher "not found" and revokes nothing', async () => {
    const { app, certificates, teacher } = await scene();
    const browser = await TestBrowser.signedIn(app, store(), teacher.id);
    expect((await browser.get('/admin/certificates')).status).toBe(404);
    const post = await browser.post('/admin/certificates/revoke', [['scope', 'picked'], ['reason', 'x'], ['confirm', '1'], ['certificate', certificates[0]!.id]]);
    expect(post.status).toBe(404);
    expect(await revokedAt(certificates[0]!.id)).toBeNull();
  });
});
