import { Validator } from '@seriousme/openapi-schema-validator';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../testing/databases.ts';
import { testApp } from '../../testing/http.ts';

/**
 * The OpenAPI document: valid OpenAPI 3.1 by an independent validator, and complete: every route the
 * app serves under /api/v1 is in it, with the method it answers, and nothing else is.
 */
describeEachDatabase('OpenAPI document', (store) => {
  it('is a valid OpenAPI 3.1 document describing every /api/v1 route of the app', async () => {
    const app = testApp(store());
    const response = await app.request('/api/openapi.json');
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const served = [...new Set(app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v1/')).map((r) => `${r.method} ${r.path}`))].sort();
    const described = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .sort();
    expect(described).toEqual(served);
    expect(served.length).toBeGreaterThanOrEqual(12);
  });

  it('serves a browsable reference of the same document, with an anchor for every problem type', async () => {
    const app = testApp(store());
    const response = await app.request('/api/reference', { headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await response.text();
    expect(page).toContain('POST /api/v1/runs/{runId}/registrations');
    expect(page).toContain('id="problem-stale_version"');
    expect(page).not.toContain('<script');
  });
});
