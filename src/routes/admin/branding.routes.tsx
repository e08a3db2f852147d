import { Hono, type Context } from 'hono';
import type { Branding } from '../../domain/branding.ts';
import { getBrandingForAdmin, getOrganisationLogo, saveOrganisationBranding, toDocumentBranding } from '../../services/branding.ts';
import type { FieldErrors } from '../../views/form-field.tsx';
import type { AppEnv } from '../../web/context.ts';
import { redirectWithNotice, takeNotice } from '../../web/notice.ts';
import { renderPage } from '../../web/render.tsx';
import { adminActor, readForm } from './admin-forms.tsx';
import { BrandingPage, brandingFormValues, type BrandingFormValues } from './branding-page.tsx';

const TEXT_FIELDS = ['name', 'signatoryName', 'signatoryTitle', 'removeLogo'] as const;

/** The address of the stored logo, with its content's version so a changed logo is fetched anew. */
export function logoUrl(branding: Branding, productName: string): string | undefined {
  const logo = toDocumentBranding(branding, productName).logo;
  return logo ? `/organisation/logo?v=${logo.version}` : undefined;
}

/** A file sent in the form's `logo` field, as bytes; undefined when none was chosen. */
async function uploadedLogo(c: Context<AppEnv>): Promise<Uint8Array | undefined> {
  const body = await c.req.parseBody({ all: true });
  const raw = body.logo;
  const file = Array.isArray(raw) ? raw[0] : raw;
  if (!(file instanceof Blob) || file.size === 0) return undefined;
  return new Uint8Array(await file.arrayBuffer());
}

/** **Huisstijl**: an administrator sets the organisation's name, signatory and logo; the logo is served to the verification page. */
export function brandingRoutes() {
  const app = new Hono<AppEnv>();

  const show = async (c: Context<AppEnv>, state: { values?: BrandingFormValues; removeLogo?: boolean; errors?: FieldErrors; flash?: string } = {}, status: 200 | 422 = 200) => {
    const actor = adminActor(c);
    const { t } = c.var;
    const branding = await getBrandingForAdmin(c.var.deps.store.db, actor);
    return renderPage(
      c,
      t.branding.title,
      <BrandingPage
        branding={branding}
        values={state.values ?? brandingFormValues(branding)}
        removeLogo={state.removeLogo ?? false}
        errors={state.errors ?? {}}
        logoUrl={logoUrl(branding, t.product)}
        flash={state.flash}
        t={t}
        csrfToken={c.var.csrfToken}
      />,
      status,
    );
  };

  app.get('/admin/branding', async (c) => {
    adminActor(c);
    const { t } = c.var;
    // What the last save did comes from this session's notice, once; never from the address.
    const notice = await takeNotice(c);
    const flash = notice?.key === 'branding-saved' ? t.branding.saved : notice?.key === 'branding-unchanged' ? t.branding.unchanged : undefined;
    return show(c, { flash });
  });

  app.post('/admin/branding', async (c) => {
    const actor = adminActor(c);
    const { t, deps } = c.var;
    const form = await readForm(c, TEXT_FIELDS);
    const logo = await uploadedLogo(c);
    const saved = await saveOrganisationBranding(deps.store.db, actor, { ...form, removeLogo: form.removeLogo === '1', logo });
    if (!saved.ok) {
      const errors: FieldErrors = Object.fromEntries(Object.entries(saved.errors).map(([field, reason]) => [field, t.branding.errors[reason]]));
      return show(c, { values: form, removeLogo: form.removeLogo === '1', errors }, 422);
    }
    if (saved.changed) deps.logger.info({ event: 'branding_changed', requestId: c.var.requestId, userId: actor.id }, 'organisation branding changed');
    return redirectWithNotice(c, '/admin/branding#flash', saved.changed ? 'branding-saved' : 'branding-unchanged');
  });

  return app;
}

/**
 * The organisation's logo, public like the verification page that shows it. Mounted before the app's
 * own security headers (like the e-learning modules), because it carries stricter ones: an SVG is
 * served so that nothing in it could run even when opened on its own (no scripts, no requests, a
 * sandbox).
 */
export function organisationLogoRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/organisation/logo', async (c) => {
    const logo = await getOrganisationLogo(c.var.deps.store.db);
    if (!logo) return c.body(null, 404, { 'Cache-Control': 'no-cache' });
    const body = new Uint8Array(logo.bytes.buffer as ArrayBuffer, logo.bytes.byteOffset, logo.bytes.byteLength);
    return c.body(body, 200, {
      'Content-Type': logo.type,
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': c.req.query('v') === logo.version ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });
  return app;
}
