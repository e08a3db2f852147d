import { html, raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Locale, Messages } from '../i18n/index.ts';
import type { UserWithRoles } from '../repositories/users.ts';
import { CSRF_FIELD } from '../web/csrf.ts';

export interface LayoutProps {
  t: Messages;
  locale: Locale;
  title: string;
  user: UserWithRoles | undefined;
  csrfToken: string;
  currentPath: string;
  children?: Child;
}

/** The hidden CSRF field every form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/** ` selected=""` when `on`, as JSX writes a true boolean attribute. */
const selected = (on: boolean) => (on ? raw(' selected=""') : '');

/**
 * The page frame: product name, signed-in user, language switch, sign-out, and the content.
 *
 * Written with `html` templates rather than JSX: every page is framed, and hono/jsx made a node of
 * each of its thirty elements on each request (bench B). The templates escape every value as JSX
 * does; the markup is exactly what the JSX gave.
 */
export function Layout({ t, locale, title, user, csrfToken, currentPath, children }: LayoutProps) {
  const csrf = html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}"/>`;
  return html`<html lang="${locale}"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>${`${title} · ${t.product}`}</title><link rel="stylesheet" href="/static/app.css"/><script src="/static/app.js" defer=""></script></head><body><a class="skip" href="#main">${t.skipToContent}</a><header class="topbar"><a class="brand" href="/">${t.product}</a><div class="topbar-tools"><form method="post" action="/language" class="inline-form">${csrf}<input type="hidden" name="next" value="${currentPath}"/><label for="language-select">${t.layout.language}</label><select id="language-select" name="locale"><option value="nl"${selected(locale === 'nl')} lang="nl">${t.languages.nl}</option><option value="en"${selected(locale === 'en')} lang="en">${t.languages.en}</option></select><button type="submit" class="button-small">${t.layout.switchLanguage}</button></form>${
    user &&
    html`<span class="whoami">${t.layout.signedInAs} <strong>${user.name}</strong></span><a href="/account" class="button-small">${t.layout.account}</a><a href="/account/password" class="button-small">${t.layout.changePassword}</a><form method="post" action="/logout" class="inline-form">${csrf}<button type="submit" class="button-small">${t.layout.logout}</button></form>`
  }</div></header><main id="main" tabindex="-1">${children}</main></body></html>`;
}
