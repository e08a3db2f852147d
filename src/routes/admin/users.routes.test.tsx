import { expect, it } from 'vitest';
import { newId, nowIso } from '../../db/index.ts';
import { makePrivacyScenario } from '../../testing/privacy-scenario.ts';
import { USERS_PAGE_SIZE } from '../../services/privacy-users.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

describeEachDatabase('administrators’ user search and anonymisation', (store) => {
  const db = () => store().db;

  async function named(name: string, email: string) {
    const id = newId();
    await db().insertInto('users').values({ id, email, name, password_hash: null, locale: null, created_at: nowIso(), anonymised_at: null }).execute();
    await db().insertInto('user_roles').values({ user_id: id, role: 'participant' }).execute();
    return id;
  }

  it('answers everyone but administrators with "not found", revealing nothing', async () => {
    const app = testApp(store());
    const s = await makePrivacyScenario(db());
    const paths = ['/admin/users', '/admin/users?q=bob', `/admin/users/${s.bob.id}`];
    for (const id of [s.alice.id, s.teacher.id]) {
      const browser = await TestBrowser.signedIn(app, store(), id);
      for (const path of paths) {
        const response = await browser.get(path);
        expect(`${path}: ${response.status}`).toBe(`${path}: 404`);
        expect(await response.text()).not.toContain('Bob Bosmans');
      }
      const post = await browser.post(`/admin/users/${s.bob.id}/anonymise`, { confirm: '1' });
      expect(post.status).toBe(404);
    }
    expect((await app.request('/admin/users')).status).toBe(303);
    const bob = await db().selectFrom('users').select(['name', 'anonymised_at']).where('id', '=', s.bob.id).executeTakeFirstOrThrow();
    expect(bob).toEqual({ name: 'Bob Bosmans', anonymised_at: null });
  });

  it('finds people by part of the name or e-mail in any case, taking wildcards and quotes literally', async () => {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const tag = newId().slice(-6).toLowerCase();
    await named(`Zoë Van Zoek ${tag}`, `zoe.${tag}@presentia.test`);
    await named(`Procent 100% ${tag}`, `procent.${tag}@presentia.test`);
    await named(`Onder_streep ${tag}`, `onder_${tag}@presentia.test`);
    await named(`O'Brien ${tag}`, `obrien.${tag}@presentia.test`);
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    const search = async (q: string) => {
      const response = await browser.get(`/admin/users?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
      return [...(await response.text()).matchAll(/<a href="\/admin\/users\/[^"]+"><bdi>([^<]+)<\/bdi>/g)].map((m) => m[1]);
    };
    expect(await search(`VAN ZOEK ${tag.toUpperCase()}`)).toEqual([`Zoë Van Zoek ${tag}`]);
    expect(await search(`zoe.${tag}@`)).toEqual([`Zoë Van Zoek ${tag}`]);
    expect(await search(`% ${tag}`)).toEqual([`Procent 100% ${tag}`]);
    expect((await search('r_s')).filter((n) => n!.includes(tag))).toEqual([`Onder_streep ${tag}`]);
    expect((await search('_')).filter((n) => n!.includes(tag))).toEqual([`Onder_streep ${tag}`]);
    expect((await search('%')).filter((n) => n!.includes(tag))).toEqual([`Procent 100% ${tag}`]);
    expect(await search(`o'brien ${tag}`)).toEqual([`O&#39;Brien ${tag}`]);
    expect(await search(`' OR '1'='1`)).toEqual([]);
    expect(await search(`\\`)).toEqual([]);
  });

  it('pages through many results', async () => {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const tag = `pagina${newId().slice(-6).toLowerCase()}`;
    for (let i = 0; i < USERS_PAGE_SIZE + 5; i += 1) await named(`${tag} ${String(i).padStart(2, '0')}`, `${tag}.${i}@presentia.test`);
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    const first = await (await browser.get(`/admin/users?q=${tag}`)).text();
    expect(first.match(new RegExp(`${tag} \\d\\d`, 'g'))).toHaveLength(USERS_PAGE_SIZE);
    expect(first).toContain(`href="/admin/users?q=${tag}&amp;page=1"`);
    const second = await (await browser.get(`/admin/users?q=${tag}&page=1`)).text();
    expect(second.match(new RegExp(`${tag} \\d\\d`, 'g'))).toEqual([`${tag} 25`, `${tag} 26`, `${tag} 27`, `${tag} 28`, `${tag} 29`]);
    expect(second).toContain(`href="/admin/users?q=${tag}"`);
    expect(second).not.toContain('page=2');
    expect((await browser.get(`/admin/users?q=${tag}&page=-3`)).status).toBe(200);
    expect((await browser.get(`/admin/users?q=${tag}&page=abc`)).status).toBe(200);
  });

  it('anonymises only after the confirmation box; the person can no longer sign in and the certificate shows the new name', async () => {
    const app = testApp(store());
    const s = await makePrivacyScenario(db(), { password: 'alice-wachtwoord' });
    const admin = await makeUser(db(), ['admin'], 'Beheerder Bea');
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    const alicesBrowser = await TestBrowser.signedIn(app, store(), s.alice.id);

    const page = await (await browser.get(`/admin/users/${s.alice.id}`)).text();
    expect(page).toContain('Alice Aerts');
    expect(page).toContain(`action="/admin/users/${s.alice.id}/anonymise"`);

    const unconfirmed = await browser.post(`/admin/users/${s.alice.id}/anonymise`, {});
    expect(unconfirmed.status).toBe(422);
    expect(await unconfirmed.text()).toContain('Vink eerst aan');
    expect((await db().selectFrom('users').select('name').where('id', '=', s.alice.id).executeTakeFirstOrThrow()).name).toBe('Alice Aerts');

    const done = await browser.post(`/admin/users/${s.alice.id}/anonymise`, { confirm: '1' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/admin/users/${s.alice.id}?anonymised=1#banner`);
    const after = await (await browser.get(`/admin/users/${s.alice.id}?anonymised=1`)).text();
    const anonymisedName = `Geanonimiseerde deelnemer ${s.alice.id.slice(-8).toLowerCase()}`;
    expect(after).toContain('Deze persoon is geanonimiseerd.');
    expect(after).toContain(anonymisedName);
    expect(after).not.toContain('Alice Aerts');
    expect(after).not.toContain('name="confirm"');

    expect((await alicesBrowser.get('/')).status).toBe(303);
    const login = new TestBrowser(app);
    await login.get('/login');
    expect((await login.post('/login', { email: s.alice.email, password: 'alice-wachtwoord' })).status).toBe(401);

    const verification = await (await app.request(`/verify/${s.alice.certificate.verification_code}`)).text();
    expect(verification).toContain(anonymisedName);
    expect(verification).not.toContain('Alice Aerts');

    const again = await browser.post(`/admin/users/${s.alice.id}/anonymise`, { confirm: '1' });
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('Deze persoon is al geanonimiseerd.');
    expect((await browser.get(`/admin/users?q=${encodeURIComponent(anonymisedName)}`)).status).toBe(200);
  });

  it('refuses to anonymise oneself, and answers an unknown person with "not found"', async () => {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    const self = await browser.post(`/admin/users/${admin.id}/anonymise`, { confirm: '1' });
    expect(self.status).toBe(403);
    expect(await self.text()).toContain('Je kan jezelf niet anonimiseren.');
    expect((await browser.get('/')).status).toBe(200);
    expect((await browser.get('/admin/users/ONBEKEND')).status).toBe(404);
    expect((await browser.post('/admin/users/ONBEKEND/anonymise', { confirm: '1' })).status).toBe(404);
  });
});
