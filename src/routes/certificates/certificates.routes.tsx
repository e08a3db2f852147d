import { Hono, type Context } from 'hono';
import { formatDate } from '../../i18n/index.ts';
import {
  getCertificateForDownload,
  normaliseVerificationCode,
  verificationUrl,
  verifyCertificate,
} from '../../services/certificates.ts';
import { getDocumentBranding } from '../../services/branding.ts';
import type { AppEnv } from '../../web/context.ts';
import { renderPage } from '../../web/render.tsx';
import { ErrorPage } from '../../views/error-page.tsx';
import { participantActor } from '../participant/participant.routes.tsx';
import { VerifyPage, verifyPageTitle } from './verify-page.tsx';

/** The address certificates point to: PUBLIC_URL when configured, else the origin of this request. */
function publicBaseUrl(c: Context<AppEnv>): string {
  return c.var.deps.config.PUBLIC_URL ?? new URL(c.req.url).origin;
}

/**
 * Verification answers must never come from a cache (a revocation shows at once), and pages that
 * name a person are kept out of search engines.
 */
function verificationHeaders(c: Context<AppEnv>): void {
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex, nofollow');
}

/** Certificates (R3): the holder's PDF download, and the public verification page with its form. */
export function certificateRoutes() {
  const app = new Hono<AppEnv>();

  // Hono reads `:id.pdf` as one parameter; a pattern that includes the extension keeps the address readable.
  app.get('/me/certificates/:file{[0-9A-Za-z]+\\.pdf}', async (c) => {
    const { t, locale } = c.var;
    const id = c.req.param('file').slice(0, -'.pdf'.length);
    const result = await getCertificateForDownload(c.var.deps.store.db, participantActor(c), id);
    if (result.kind === 'revoked') {
      const message = t.certificate.revokedDownload(formatDate(locale, result.revokedAt));
      return renderPage(c, t.certificate.revokedTitle, <ErrorPage title={t.certificate.revokedTitle} message={message} t={t} />, 410);
    }
    const { certificate } = result;
    // Loaded at the first certificate, not at start-up: pdfkit alone takes ~0.4 s to load (bench G).
    const { renderCertificatePdf } = await import('../../services/certificates-pdf.ts');
    const pdf = await renderCertificatePdf(certificate, {
      t,
      locale,
      branding: await getDocumentBranding(c.var.deps.store.db, t.product),
      verifyUrl: verificationUrl(publicBaseUrl(c), certificate.verification_code),
    });
    // Certificate numbers are ASCII letters, digits and dashes, safe inside a quoted file name.
    // A view on the Buffer's own memory: Hono's types want a plain Uint8Array over an ArrayBuffer.
    const bytes = new Uint8Array(pdf.buffer as ArrayBuffer, pdf.byteOffset, pdf.byteLength);
    return c.body(bytes, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${t.certificate.fileName}-${certificate.number}.pdf"`,
      'Cache-Control': 'private, no-store',
    });
  });

  // The form sends its code here; a well-formed code goes to its own address, which is what the QR
  // code holds too, so a result can be bookmarked or shared the same way either way.
  app.get('/verify', async (c) => {
    const { t, locale } = c.var;
    verificationHeaders(c);
    const typed = c.req.query('code');
    if (typed === undefined || typed.trim() === '') return renderPage(c, t.certificate.verifyTitle, <VerifyPage code="" t={t} locale={locale} />);
    const code = normaliseVerificationCode(typed);
    if (code) return c.redirect(`/verify/${code}`, 303);
    const result = { kind: 'unknown' } as const;
    return renderPage(c, verifyPageTitle(t, result), <VerifyPage result={result} code={typed.slice(0, 64)} t={t} locale={locale} />, 404);
  });

  // Public: no requireUser here. Anyone holding the code may check the certificate.
  app.get('/verify/:code', async (c) => {
    const { t, locale } = c.var;
    verificationHeaders(c);
    const code = c.req.param('code');
    const result = await verifyCertificate(c.var.deps.store.db, code);
    const branding = await getDocumentBranding(c.var.deps.store.db, t.product);
    // An unknown code comes back in the form to be corrected; after an answer the form starts empty.
    const again = result.kind === 'unknown' ? code.slice(0, 64) : '';
    return renderPage(
      c,
      verifyPageTitle(t, result),
      <VerifyPage result={result} code={again} t={t} locale={locale} branding={branding} />,
      result.kind === 'unknown' ? 404 : 200,
    );
  });

  return app;
}
