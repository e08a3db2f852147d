import { Hono, type Context } from 'hono';
import type { Messages } from '../../i18n/index.ts';
import {
  BulkRevocationRefused,
  findRevocableCertificates,
  previewBulkRevocation,
  revokeCertificatesInBulk,
  type CertificateFilter,
  type CertificateSelection,
} from '../../services/certificate-revocation.ts';
import { listHref } from '../../views/paged-table.tsx';
import type { FieldErrors } from '../../views/form-field.tsx';
import type { AppEnv } from '../../web/context.ts';
import { noticeCount, redirectWithNotice, takeNotice } from '../../web/notice.ts';
import { renderPage } from '../../web/render.tsx';
import { adminActor } from './admin-forms.tsx';
import { CERTIFICATES_PATH, CertificatesPage, ConfirmRevocation, filterFields, type RevocationForm } from './certificates-pages.tsx';

/*
 * Bulk revocation of certificates (R3), for administrators: a filtered list of valid certificates
 * (GET), the revocation form (POST) that is refused with every value kept or answered with a
 * confirmation screen, and the confirmed revocation, post/redirect/get with a session message.
 */

const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.replace(/\u0000/g, '').slice(0, max) : '');

function filterOf(read: (name: string) => unknown): CertificateFilter {
  return { courseId: text(read('course'), 40) || undefined, run: text(read('run'), 100) || undefined, q: text(read('q'), 200) || undefined };
}

function refusalErrors(t: Messages, refusals: readonly string[]): FieldErrors {
  const say = (key: keyof Messages['bulkRevocation']['refusals']) => (refusals.includes(key) ? t.bulkRevocation.refusals[key] : undefined);
  return { reason: say('reason_required') ?? say('reason_too_long'), certificate: say('nothing_selected') };
}

async function listPage(c: Context<AppEnv>, filter: CertificateFilter, form: RevocationForm, errors: FieldErrors = {}, flash?: string) {
  const { t, locale } = c.var;
  const found = await findRevocableCertificates(c.var.deps.store.db, adminActor(c), filter, { after: c.req.query('after'), before: c.req.query('before') });
  const refused = Boolean(errors.reason || errors.certificate);
  return renderPage(
    c,
    t.bulkRevocation.title,
    <CertificatesPage found={found} filter={filter} form={form} errors={errors} flash={flash} csrfToken={c.var.csrfToken} t={t} locale={locale} />,
    refused ? 422 : 200,
  );
}

export function adminCertificateRoutes() {
  const app = new Hono<AppEnv>();

  app.get(CERTIFICATES_PATH, async (c) => {
    adminActor(c);
    const notice = await takeNotice(c);
    const message = notice?.key === 'certificates_revoked' ? c.var.t.bulkRevocation.done(String(noticeCount(notice, 'revoked'))) : undefined;
    return listPage(c, filterOf((name) => c.req.query(name)), { scope: 'picked', picked: [], reason: '' }, {}, message);
  });

  app.post('/admin/certificates/revoke', async (c) => {
    const actor = adminActor(c);
    const body = await c.req.parseBody({ all: true });
    const filter = filterOf((name) => body[name]);
    const picked = [body.certificate ?? []].flat().map((v) => text(v, 40)).filter((v) => v !== '').slice(0, 5000);
    const form: RevocationForm = { scope: text(body.scope, 10) === 'all' ? 'all' : 'picked', picked, reason: text(body.reason, 2000) };
    const selection: CertificateSelection = form.scope === 'all' ? { filter } : { ids: picked };
    const db = c.var.deps.store.db;
    const { t } = c.var;
    try {
      if (text(body.confirm, 1) === '1') {
        const { revoked } = await revokeCertificatesInBulk(db, actor, selection, form.reason);
        return redirectWithNotice(c, listHref(CERTIFICATES_PATH, filterFields(filter)), 'certificates_revoked', { revoked });
      }
      const preview = await previewBulkRevocation(db, actor, selection, form.reason);
      const fields: [string, string][] = [
        ['scope', form.scope],
        ['reason', form.reason],
        ...Object.entries(filterFields(filter)).flatMap(([k, v]): [string, string][] => (v ? [[k, v]] : [])),
        ...(form.scope === 'picked' ? preview.certificates.map((cert): [string, string] => ['certificate', cert.id]) : []),
      ];
      return renderPage(
        c,
        t.bulkRevocation.confirmTitle(String(preview.certificates.length)),
        <ConfirmRevocation
          numbers={preview.certificates.map((cert) => cert.number)}
          reason={preview.reason}
          fields={fields}
          cancelHref={listHref(CERTIFICATES_PATH, filterFields(filter))}
          csrfToken={c.var.csrfToken}
          t={t}
        />,
      );
    } catch (error) {
      if (!(error instanceof BulkRevocationRefused)) throw error;
      return listPage(c, filter, form, refusalErrors(t, error.refusals));
    }
  });

  return app;
}
