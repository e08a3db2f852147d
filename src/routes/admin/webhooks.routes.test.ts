import { expect, it } from 'vitest';
import { messages } from '../../i18n/index.ts';
import { sendDueWebhooks } from '../../jobs/send-webhooks.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../../testing/factories.ts';
import { pageText } from '../../testing/hostile.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';
import { teacherSaves } from '../../testing/teacher-saves.ts';

const nl = messages('nl');

describeEachDatabase('webhooks page', (store) => {
  const db = () => store().db;
  const secretOf = (html: string) => /id="created-secret-value"[^>]*value="(whsec_[\w-]+)"/.exec(html)?.[1] ?? /value="(whsec_[\w-]+)"[^>]*id="created-secret-value"/.exec(html)?.[1];

  it('registers a webhook with its secret shown once, and its log shows the attempts', async () => {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    const page = await browser.get('/admin/webhooks');
    expect(page.status).toBe(200);
    expect(pageText(await page.text())).toContain(nl.webhooks.newTitle);
    // Nothing listens on port 9: every attempt fails, and the log says so.
    const created = await browser.post('/admin/webhooks', [['url', 'http://127.0.0.1:9/hook'], ['events', 'enrolment.status_changed']]);
    expect(created.status).toBe(200);
    const html = await created.text();
    expect(pageText(html)).toContain(nl.webhooks.createdOnce);
    const secret = secretOf(html);
    expect(secret).toBeDefined();
    const stored = await db().selectFrom('webhook_subscriptions').selectAll().where('url', '=', 'http://127.0.0.1:9/hook').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ secret, created_by: admin.id, deactivated_at: null });
    // Shown once: the list does not show it again.
    const again = await (await browser.get('/admin/webhooks')).text();
    expect(again).not.toContain(secret!);
    expect(again).toContain('http://127.0.0.1:9/hook');

    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7] });
    const enrolment = await enrol(db(), run, (await makeUser(db())).id);
    await teacherSaves(db(), teacher, run.id, enrolment.id, { status: 'absent' });
    expect(await sendDueWebhooks(db())).toMatchObject({ retrying: 1 });
    const log = await browser.get(`/admin/webhooks/${stored.id}`);
    expect(log.status).toBe(200);
    const text = pageText(await log.text());
    expect(text).toContain('enrolment.status_changed');
    expect(text).toContain(nl.webhooks.deliveryStates.pending);
    expect(text).toMatch(/fetch failed|ECONNREFUSED/);
    await db().updateTable('webhook_subscriptions').set({ deactivated_at: new Date().toISOString() }).where('id', '=', stored.id).execute();
  });

  it('refuses a form with the values kept and each reason beside its field', async () => {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    const refused = await browser.post('/admin/webhooks', [['url', 'javascript:alert("<b>x</b>")']]);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    const text = pageText(html);
    expect(text).toContain(nl.webhooks.problems.url_scheme);
    expect(text).toContain(nl.webhooks.problems.events_required);
    expect(html).toContain('value="javascript:alert(&quot;&lt;b&gt;x&lt;/b&gt;&quot;)"');
    expect(html).not.toContain('<b>x</b>');
    expect(await db().selectFrom('webhook_subscriptions').selectAll().where('created_by', '=', admin.id).execute()).toEqual([]);
  });

  it('deactivates and deletes after a confirmation screen; refuses a form without its CSRF token and anyone but an administrator', async () => {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    await browser.post('/admin/webhooks', [['url', 'https://hr.example.org/hook'], ['events', 'certificate.issued']]);
    const { id } = await db().selectFrom('webhook_subscriptions').select('id').where('created_by', '=', admin.id).executeTakeFirstOrThrow();

    // Without the CSRF token nothing happens.
    expect((await browser.post('/admin/webhooks', [['url', 'https://evil.example.org/'], ['events', 'certificate.issued']], { csrf: false })).status).toBe(403);
    expect((await browser.post(`/admin/webhooks/${id}/delete`, [['confirm', '1']], { csrf: false })).status).toBe(403);
    expect(await db().selectFrom('webhook_subscriptions').select('url').where('created_by', '=', admin.id).execute()).toEqual([{ url: 'https://hr.example.org/hook' }]);

    // Not an administrator: the pages do not exist.
    const teacher = await makeUser(db(), ['teacher']);
    const teacherBrowser = await TestBrowser.signedIn(app, store(), teacher.id);
    expect((await teacherBrowser.get('/admin/webhooks')).status).toBe(404);
    expect((await teacherBrowser.get(`/admin/webhooks/${id}`)).status).toBe(404);
    expect((await teacherBrowser.post('/admin/webhooks', [['url', 'https://evil.example.org/'], ['events', 'certificate.issued']])).status).toBe(404);
    expect((await teacherBrowser.post(`/admin/webhooks/${id}/delete`, [['confirm', '1']])).status).toBe(404);

    const confirm = await browser.post(`/admin/webhooks/${id}/deactivate`, []);
    expect(confirm.status).toBe(200);
    expect(pageText(await confirm.text())).toContain(nl.webhooks.deactivateIntro('https://hr.example.org/hook'));
    expect((await db().selectFrom('webhook_subscriptions').select('deactivated_at').where('id', '=', id).executeTakeFirstOrThrow()).deactivated_at).toBeNull();
    const deactivated = await browser.post(`/admin/webhooks/${id}/deactivate`, [['confirm', '1']]);
    expect([deactivated.status, deactivated.headers.get('location')]).toEqual([303, '/admin/webhooks']);
    const after = pageText(await (await browser.get('/admin/webhooks')).text());
    expect(after).toContain(nl.webhooks.deactivatedFlash('https://hr.example.org/hook'));
    expect(after).toContain(nl.webhooks.inactive);

    expect((await browser.post(`/admin/webhooks/${id}/delete`, [])).status).toBe(200);
    expect((await browser.post(`/admin/webhooks/${id}/delete`, [['confirm', '1']])).status).toBe(303);
    expect(await db().selectFrom('webhook_subscriptions').select('id').where('id', '=', id).execute()).toEqual([]);
    expect((await browser.get(`/admin/webhooks/${id}`)).status).toBe(404);
  });
});
