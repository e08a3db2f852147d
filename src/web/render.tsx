import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { Layout } from '../views/layout.tsx';
import type { AppEnv } from './context.ts';

/** What `c.html` sets. */
const HTML = { 'content-type': 'text/html; charset=UTF-8' };
const utf8 = new TextEncoder();

/** Renders a full page in the layout, with its doctype. */
export function renderPage(c: Context<AppEnv>, title: string, body: Child, status: 200 | 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 = 200) {
  const url = new URL(c.req.url);
  // c.get, not c.var: each read of c.var copies every variable of the request into a new object.
  const page = (
    <Layout
      t={c.get('t')}
      locale={c.get('locale')}
      title={title}
      user={c.get('user')}
      csrfToken={c.get('csrfToken')}
      currentPath={url.pathname + url.search}
    >
      {body}
    </Layout>
  );
  // The page as UTF-8 bytes, made in one pass by TextEncoder. Handed a string, the server counts its
  // UTF-8 length for Content-Length and then encodes it again to write it, each a slow pass over a
  // page of Latin-1 text (bench A http and B, docs/performance.md).
  return c.body(utf8.encode(`<!DOCTYPE html>${page.toString()}`), status, HTML);
}
