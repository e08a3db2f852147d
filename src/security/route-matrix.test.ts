import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { API_CALLERS, EVERYONE, ROUTES, makeRouteFixture } from '../testing/route-table.ts';

/**
 * The authorisation and CSRF matrices, driven by the app's own route table: every route must have an
 * entry here, so a route added without one fails this test.
 */
describeEachDatabase('route matrix', (store) => {
  const setUp = () => makeRouteFixture(store());

  it('has an entry for every route of the app', async () => {
    const { app } = await setUp();
    const routes = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    expect([...routes].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('gives each kind of visitor the expected answer on every route, revealing nothing when refusing', async () => {
    const { fixture, browsers } = await setUp();
    for (const [route, c] of Object.entries(ROUTES)) {
      for (const who of EVERYONE) {
        const browser = (await browsers())[who];
        const path = c.path(fixture);
        const response = c.api
          ? await browser.request(path, { method: c.api.method, headers: { 'content-type': 'application/json', 'x-csrf-token': browser.csrfToken, ...c.api.headers }, body: c.api.json ? JSON.stringify(c.api.json(fixture)) : undefined })
          : c.form
            ? await browser.post(path, c.form(fixture))
            : await browser.get(path);
        expect(`${route} as ${who}: ${response.status}`).toBe(`${route} as ${who}: ${c.expect[who]}`);
        if (c.expect[who] === 303 && who === 'anonymous' && c.expect.teacher !== 303) {
          expect(response.headers.get('location')).toMatch(/^\/login\?next=/);
        }
        if (response.status === 404 && c.secret) expect(await response.text()).not.toContain(c.secret(fixture));
      }
    }
  }, 120_000); // over 700 requests: on a busy machine more than the default 30 s

  it('refuses every state-changing route without a valid CSRF token or from a foreign origin', async () => {
    const { fixture, browsers } = await setUp();
    const all = await browsers();
    for (const [route, c] of Object.entries(ROUTES)) {
      // The JSON API takes no CSRF token because a cookie never authorises it: a signed-in browser's
      // cross-site request, cookies sent along, is not authenticated.
      if (c.api && c.api.method !== 'GET') {
        const foreign = await all.admin.request(c.path(fixture), {
          method: c.api.method,
          headers: { 'content-type': 'application/json', origin: 'https://evil.example', ...c.api.headers },
          body: JSON.stringify(c.api.json?.(fixture) ?? {}),
        });
        expect(`${route} cross-site with cookies: ${foreign.status}`).toBe(`${route} cross-site with cookies: 401`);
      }
      if (!c.form) continue;
      for (const who of ['anonymous', 'teacher'] as const) {
        const browser = all[who];
        const path = c.path(fixture);
        const missing = await browser.post(path, c.form(fixture), { csrf: false });
        expect(`${route} without token as ${who}: ${missing.status}`).toBe(`${route} without token as ${who}: 403`);
        const wrong = await browser.post(path, [['_csrf', 'x'.repeat(32)], ...c.form(fixture)], { csrf: false });
        expect(`${route} wrong token as ${who}: ${wrong.status}`).toBe(`${route} wrong token as ${who}: 403`);
        const foreign = await browser.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
          body: new URLSearchParams([['_csrf', browser.csrfToken], ...c.form(fixture)]),
        });
        expect(`${route} foreign origin as ${who}: ${foreign.status}`).toBe(`${route} foreign origin as ${who}: 403`);
      }
    }
  });

  it('gives each kind of API token the expected answer on every JSON API route, as problem details when refusing', async () => {
    const { fixture, callAs } = await setUp();
    const apiRoutes = Object.entries(ROUTES).filter(([, c]) => c.api);
    expect(apiRoutes.length).toBeGreaterThan(0);
    for (const [route, c] of apiRoutes) {
      for (const who of API_CALLERS) {
        const response = await callAs(who, c);
        expect(`${route} with ${who}: ${response.status}`).toBe(`${route} with ${who}: ${c.api!.expect[who]}`);
        if (response.status >= 400) expect(`${route} with ${who}: ${response.headers.get('content-type')}`).toBe(`${route} with ${who}: application/problem+json`);
        if (response.status === 404 && c.secret) expect(response.text).not.toContain(c.secret(fixture));
      }
    }
  });
});
