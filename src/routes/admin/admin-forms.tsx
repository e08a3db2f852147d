import type { Context } from 'hono';
import type { FieldRefusals, Refusal } from '../../domain/catalog.ts';
import type { Messages } from '../../i18n/index.ts';
import type { Actor } from '../../services/actor.ts';
import type { FieldErrors } from '../../views/form-field.tsx';
import type { AppEnv } from '../../web/context.ts';
import { requireRole } from '../../web/guards.ts';

/** What the administrators' catalogue routes share: the actor, reading a form, refusals as text, flash messages. */

export function adminActor(c: Context<AppEnv>): Actor {
  const user = requireRole(c, 'admin');
  return { id: user.id, roles: user.roles, source: 'admin' };
}

/**
 * The named text fields of a posted form (the body the CSRF check already read): the first value of
 * each, a file or a missing field read as empty. NUL characters are dropped, as the database would.
 */
export async function readForm<F extends string>(c: Context<AppEnv>, fields: readonly F[]): Promise<Record<F, string>> {
  const body = await c.req.parseBody({ all: true });
  const form = {} as Record<F, string>;
  for (const name of fields) {
    const raw = body[name];
    const first = Array.isArray(raw) ? raw[0] : raw;
    form[name] = typeof first === 'string' ? first.replace(/\u0000/g, '').slice(0, 20_000) : '';
  }
  return form;
}

/** The reason for a refused field, in the reader's language. */
export function refusalText(t: Messages, refusal: Refusal): string {
  const message = t.catalog.errors[refusal.reason];
  return typeof message === 'function' ? message(refusal.detail ?? '') : message;
}

export function fieldErrors(t: Messages, errors: FieldRefusals<string> | undefined): FieldErrors {
  if (!errors) return {};
  return Object.fromEntries(Object.entries(errors).map(([field, refusal]) => [field, refusal ? refusalText(t, refusal) : undefined]));
}

/** The confirmation after a save, chosen from known keys only (the query string is the reader's to change). */
export function Flash({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="notice" role="status" id="flash">
      {text}
    </p>
  );
}

/** The administrators' menu, on every catalogue page; the current page is marked. */
export function AdminNav({ t, current }: { t: Messages; current: 'runs' | 'courses' | 'programmes' | 'users' | 'imports' | 'history' | 'lifecycle' | 'content' | 'branding' | 'certificates' | 'apiTokens' | 'webhooks' }) {
  const items = [
    ['runs', '/admin', t.catalog.overviewTitle],
    ['courses', '/admin/courses', t.catalog.coursesTitle],
    ['programmes', '/admin/programmes', t.catalog.programmesTitle],
    ['users', '/admin/users', t.catalog.usersTitle],
    ['imports', '/admin/imports', t.csvImport.title],
    ['history', '/admin/history', t.auditHistory.link],
    ['lifecycle', '/admin/lifecycle', t.lifecycle.title],
    ['content', '/admin/course-content', t.courseContent.listTitle],
    ['branding', '/admin/branding', t.branding.title],
    ['certificates', '/admin/certificates', t.bulkRevocation.navLabel],
    ['apiTokens', '/admin/api-tokens', t.apiTokens.title],
    ['webhooks', '/admin/webhooks', t.webhooks.title],
  ] as const;
  return (
    <nav class="admin-nav" aria-label={t.catalog.nav}>
      <ul>
        {items.map(([key, href, label]) => (
          <li>
            <a href={href} aria-current={key === current ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
