import { describe, expect, it } from 'vitest';
import { checkLogo, MAX_LOGO_BYTES, NO_BRANDING, planBranding } from './branding.ts';

const svg = (body: string) => new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${body}</svg>\n`);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('organisation logo', () => {
  it('knows a PNG by its signature and an SVG by its root element, whatever the file is called', () => {
    expect(checkLogo(PNG)).toEqual({ ok: true, type: 'image/png' });
    expect(checkLogo(svg('<rect width="10" height="10" fill="#1e3a8a"/><path d="M0 0h5v5z" style="fill:url(#g)"/>'))).toEqual({ ok: true, type: 'image/svg+xml' });
    expect(checkLogo(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ ok: false, reason: 'logo_type' });
    expect(checkLogo(new TextEncoder().encode('<html><svg></svg></html>'))).toEqual({ ok: false, reason: 'logo_type' });
    expect(checkLogo(new Uint8Array([0xc3, 0x28]))).toEqual({ ok: false, reason: 'logo_type' });
    expect(checkLogo(new Uint8Array(MAX_LOGO_BYTES + 1))).toEqual({ ok: false, reason: 'logo_too_large' });
  });

  it('refuses an SVG that could run or fetch anything', () => {
    for (const body of [
      '<script>alert(1)</script>',
      '<SCRIPT >alert(1)</SCRIPT>',
      '<rect onload="alert(1)"/>',
      '<a href="javascript:alert(1)"><rect/></a>',
      '<a xlink:href="https://evil.example/"><rect/></a>',
      '<image href="https://evil.example/x.png"/>',
      '<foreignObject><div>x</div></foreignObject>',
      '<use href="other.svg#a"/>',
      '<style>@import url(https://evil.example/x.css);</style>',
      '<rect style="fill:url(https://evil.example/x)"/>',
    ]) {
      expect(checkLogo(svg(body)), body).toEqual({ ok: false, reason: 'logo_unsafe' });
    }
    expect(checkLogo(new TextEncoder().encode('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'))).toEqual({ ok: false, reason: 'logo_type' });
    expect(checkLogo(new TextEncoder().encode('<svg><!ENTITY a "x"></svg>'))).toEqual({ ok: false, reason: 'logo_unsafe' });
  });
});

describe('planBranding', () => {
  const form = { name: '  Opleidingscentrum\nVlaanderen ', signatoryName: 'An De Smet', signatoryTitle: '', removeLogo: false };

  it('keeps trimmed texts, empty as not set, and the current logo unless replaced or removed', () => {
    const withLogo = { ...NO_BRANDING, logoType: 'image/png' as const, logoBase64: 'iVBORw0KGgo=' };
    const plan = planBranding(withLogo, form);
    expect(plan).toEqual({
      ok: true,
      changed: true,
      branding: { name: 'Opleidingscentrum Vlaanderen', signatoryName: 'An De Smet', signatoryTitle: null, logoType: 'image/png', logoBase64: 'iVBORw0KGgo=' },
    });
    expect(planBranding(withLogo, { ...form, removeLogo: true })).toMatchObject({ ok: true, branding: { logoType: null, logoBase64: null } });
    const replaced = planBranding(withLogo, { ...form, logo: svg('<circle r="4"/>') });
    expect(replaced).toMatchObject({ ok: true, branding: { logoType: 'image/svg+xml' } });
    if (plan.ok) expect(planBranding(plan.branding, form)).toMatchObject({ ok: true, changed: false });
  });

  it('refuses each field with its reason and changes nothing', () => {
    expect(planBranding(NO_BRANDING, { ...form, signatoryTitle: 'x'.repeat(201), logo: svg('<script/>') })).toEqual({
      ok: false,
      errors: { signatoryTitle: 'too_long', logo: 'logo_unsafe' },
    });
  });
});
