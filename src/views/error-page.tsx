import type { Messages } from '../i18n/index.ts';

/** A friendly error page: what happened, a code to quote for server errors, and the way home. */
export function ErrorPage({ title, message, code, t }: { title: string; message: string; code?: string; t: Messages }) {
  return (
    <section class="panel">
      <h1>{title}</h1>
      <p>{message}</p>
      {code && (
        <p>
          <code>{code}</code>
        </p>
      )}
      <p>
        <a href="/">{t.errors.backHome}</a>
      </p>
    </section>
  );
}
