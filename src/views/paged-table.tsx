import type { Child } from 'hono/jsx';
import type { KeysetPage } from '../db/keyset.ts';
import type { Messages } from '../i18n/index.ts';

/**
 * A list page's table: a filter form that works by GET (so the filters live in the query string,
 * and a filtered page can be bookmarked or shared), a captioned table, and a pager of keyset pages
 * that keeps the filters. The caller gives the rows' cells; the component gives the structure.
 */

/** Filters as they stand in the query string; empty values are left out of links. */
export type Filters = Readonly<Record<string, string | undefined>>;

export interface Column<T> {
  header: string;
  cell: (row: T) => Child;
  /** The cell that names the row (rendered as `<th scope="row">`). */
  rowHeader?: boolean;
  numeric?: boolean;
}

/** `path?filters&cursor`, leaving out empty filters. */
export function listHref(path: string, filters: Filters, cursor?: { after?: string; before?: string }): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  if (cursor?.after) params.set('after', cursor.after);
  if (cursor?.before) params.set('before', cursor.before);
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

/** The filter form: the caller's fields, a submit button and a link that clears them. */
export function FilterForm({ path, t, children, label }: { path: string; t: Messages; children: Child; label?: string }) {
  return (
    <form method="get" action={path} class="table-tools filters" role="search" aria-label={label ?? t.views.filtersTitle}>
      {children}
      <div class="filter-actions">
        <button type="submit" class="button-secondary">
          {t.views.filter}
        </button>{' '}
        <a href={path}>{t.views.clearFilters}</a>
      </div>
    </form>
  );
}

/** Links to the first, previous and next page, each keeping the filters; absent links are not rendered. */
export function Pager({ path, filters, page, t, label }: { path: string; filters: Filters; page: KeysetPage<unknown>; t: Messages; label?: string }) {
  if (!page.next && !page.previous) return null;
  return (
    <nav class="pager" aria-label={label ?? t.views.pages}>
      {page.previous && <a href={listHref(path, filters)}>{t.views.firstPage}</a>}
      {page.previous && (
        <a href={listHref(path, filters, { before: page.previous })} rel="prev">
          {t.views.previousPage}
        </a>
      )}
      {page.next && (
        <a href={listHref(path, filters, { after: page.next })} rel="next">
          {t.views.nextPage}
        </a>
      )}
    </nav>
  );
}

/** A captioned table of one keyset page with its pager; says so when nothing matches. */
export function PagedTable<T>(props: {
  path: string;
  filters: Filters;
  caption: string;
  columns: readonly Column<T>[];
  page: KeysetPage<T>;
  t: Messages;
  empty?: string;
}) {
  const { page, columns, t } = props;
  if (page.rows.length === 0) {
    return (
      <>
        <p class="notice" role="status">
          {props.empty ?? t.views.noRows}
        </p>
        <Pager path={props.path} filters={props.filters} page={page} t={t} />
      </>
    );
  }
  return (
    <>
      <div class="table-scroll">
        <table class="data">
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" class={c.numeric ? 'num' : undefined}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.rows.map((row) => (
              <tr>
                {columns.map((c) =>
                  c.rowHeader ? (
                    <th scope="row" class={c.numeric ? 'num' : undefined}>
                      {c.cell(row)}
                    </th>
                  ) : (
                    <td class={c.numeric ? 'num' : undefined}>{c.cell(row)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager path={props.path} filters={props.filters} page={page} t={t} />
    </>
  );
}
