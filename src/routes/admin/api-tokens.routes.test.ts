import { expect, it } from 'vitest';
import { messages } from '../../i18n/index.ts';
import { tokenHash } from '../../services/api-tokens.ts';
import { callApi } from '../../testing/api.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { makeUser } from '../../testing/factories.ts';
import { pageText } from '../../testing/hostile.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

const nl = messages('nl');
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describeEachDatabase('API token page', (store) => {
  const db = () => store().db;

  it('creates a token shown once and stored only as its hash; the token works at once', async () => {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    const page = await browser.get('/admin/api-tokens');
    expect(page.status).toBe(200);
    expect(pageText(await page.text())).toContain(nl.apiTokens.title);
    const created = await browser.post('/admin/api-tokens', [['name', 'HR-systeem'], ['scopes', 'read'], ['scopes', 'write'], ['expiresOn', inDays(30)], ['ownerEmail', '']]);
    expect(created.status).toBe(200);
    const html = await created.text();
    expect(pageText(html)).toContain(nl.apiTokens.createdOnce);
    const token = /id="created-token-value"[^>]*value="(prs_[\w-]+)"/.exec(html)?.[1] ?? /value="(prs_[\w-]+)"[^>]*id="created-token-value"/.exec(html)?.[1];
    expect(token).toBeDefined();
    const stored = await db().selectFrom('api_tokens').selectAll().where('name', '=', 'HR-systeem').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ token_hash: tokenHash(token!), scopes: 'read write', user_id: admin.id, created_by: admin.id, revoked_at: null });
    expect(JSON.stringify(stored)).not.toContain(token!);
    // Shown once: the list shows only the token's first characters.
    const again = await (await browser.get('/admin/api-tokens')).text();
    expect(again).not.toContain(token!);
    expect(again).toContain(stored.prefix);
    expect((await callApi(app, '/api/v1/statuses', { token })).status).toBe(200);
  });

  it('refuses a form with every value kept and each reason beside its field', async () => {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const participant = await makeUser(db(), ['participant']);
    const { email } = await db().selectFrom('users').select('email').where('id', '=', participant.id).executeTakeFirstOrThrow();
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    const refused = await browser.post('/admin/api-tokens', [['name', 'Koppeling <b>x</b>'], ['expiresOn', '2020-01-01'], ['ownerEmail', email]]);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    const text = pageText(html);
    for (const reason of [nl.apiTokens.problems.scopes_required, nl.apiTokens.problems.date_past, nl.apiTokens.problems.owner_not_teacher]) expect(text).toContain(reason);
    expect(html).toContain('value="Koppeling &lt;b&gt;x&lt;/b&gt;"');
    expect(html).toContain('value="2020-01-01"');
    expect(html).toContain(`value="${email}"`);
    expect(await db().selectFrom('api_tokens').selectAll().where('created_by', '=', admin.id).execute()).toEqual([]);
    const teacher = await makeUser(db(), ['teacher']);
    const { email: teacherEmail } = await db().selectFrom('users').select('email').where('id', '=', teacher.id).executeTakeFirstOrThrow();
    const adminScope = await browser.post('/admin/api-tokens', [['name', 'Persoonlijk'], ['scopes', 'admin'], ['expiresOn', inDays(10)], ['ownerEmail', teacherEmail]]);
    expect(adminScope.status).toBe(422);
    expect(pageText(await adminScope.text())).toContain(nl.apiTokens.problems.admin_scope_needs_admin);
  });

  it('makes a teacher’s personal token and revokes a token with a confirmation after the redirect', async () => {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const teacher = await makeUser(db(), ['teacher']);
    const { email } = await db().selectFrom('users').select('email').where('id', '=', teacher.id).executeTakeFirstOrThrow();
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    expect((await browser.post('/admin/api-tokens', [['name', 'Mijn token'], ['scopes', 'write'], ['expiresOn', inDays(5)], ['ownerEmail', email.toUpperCase()]])).status).toBe(200);
    const row = await db().selectFrom('api_tokens').select(['id', 'user_id', 'created_by']).where('created_by', '=', admin.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ id: row.id, user_id: teacher.id, created_by: admin.id });
    const revoked = await browser.post(`/admin/api-tokens/${row.id}/revoke`, []);
    expect([revoked.status, revoked.headers.get('location')]).toEqual([303, '/admin/api-tokens']);
    const after = pageText(await (await browser.get('/admin/api-tokens')).text());
    expect(after).toContain(nl.apiTokens.revokedFlash('Mijn token'));
    expect(after).toContain(nl.apiTokens.revoked);
    // Shown once: the message does not come back.
    expect(pageText(await (await browser.get('/admin/api-tokens')).text())).not.toContain(nl.apiTokens.revokedFlash('Mijn token'));
    const teacherBrowser = await TestBrowser.signedIn(app, store(), teacher.id);
    expect((await teacherBrowser.get('/admin/api-tokens')).status).toBe(404);
  });
});
