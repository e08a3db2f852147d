import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { Hono, type Context } from 'hono';
import { formatDate, type Locale, type Messages } from '../../i18n/index.ts';
import type { AuditRow } from '../../repositories/audit-history.ts';
import type { Actor } from '../../services/actor.ts';
import { browseAuditHistory, exportAuditHistory, HISTORY_FIELDS, type AuditQuery, type AuditQueryField } from '../../services/audit-history.ts';
import { FormField } from '../../views/form-field.tsx';
import { FilterForm, listHref } from '../../views/paged-table.tsx';
import type { AppEnv } from '../../web/context.ts';
import { requireRole } from '../../web/guards.ts';
import { renderPage } from '../../web/render.tsx';
import { describeHistoryField, describeHistoryValue } from '../participant/history-table.tsx';

const FILTERS: readonly AuditQueryField[] = ['run', 'person', 'actor', 'kind', 'from', 'to'];

function adminActor(c: Context<AppEnv>): Actor {
  const user = requireRole(c, 'admin');
  return { id: user.id, roles: user.roles, source: 'admin' };
}

function queryOf(c: Context<AppEnv>): AuditQuery {
  const q: AuditQuery = {};
  for (const f of FILTERS) q[f] = (c.req.query(f) ?? '').slice(0, 254);
  return q;
}

function noteText(t: Messages, note: string | null): string {
  if (!note) return '';
  return Object.hasOwn(t.history.notes, note) ? t.history.notes[note as keyof Messages['history']['notes']] : note;
}

function sourceText(t: Messages, source: string): string {
  return Object.hasOwn(t.history.sources, source) ? t.history.sources[source as keyof Messages['history']['sources']] : source;
}

function kindLabel(t: Messages, field: string): string {
  return Object.hasOwn(t.history.fields, field) ? t.history.fields[field as keyof Messages['history']['fields']] : field;
}

function HistoryRows({ rows, t, locale }: { rows: readonly AuditRow[]; t: Messages; locale: Locale }) {
  const th = t.auditHistory;
  return (
    <div class="table-scroll" tabindex={0} role="region" aria-label={th.caption}>
      <table class="data">
        <caption>{th.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{th.when}</th>
            <th scope="col">{th.who}</th>
            <th scope="col">{th.about}</th>
            <th scope="col">{th.runColumn}</th>
            <th scope="col">{th.what}</th>
            <th scope="col">{th.oldValue}</th>
            <th scope="col">{th.newValue}</th>
            <th scope="col">{th.source}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">
                <time datetime={r.at}>{formatDate(locale, r.at, true)}</time>
              </th>
              <td>{r.actor_name ? <bdi>{r.actor_name}</bdi> : t.history.system}</td>
              <td>{r.person_name && <bdi>{r.person_name}</bdi>}</td>
              <td>{r.run_code && <bdi>{r.run_code}</bdi>}</td>
              <td>
                {describeHistoryField(t, locale, r)}
                {r.note && <div class="muted small">{noteText(t, r.note)}</div>}
              </td>
              <td>
                <bdi>{describeHistoryValue(t, locale, r.field, r.old_value, r.note)}</bdi>
              </td>
              <td>
                <bdi>{describeHistoryValue(t, locale, r.field, r.new_value, r.note)}</bdi>
              </td>
              <td>{sourceText(t, r.source)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** **Geschiedenis** for administrators: the append-only history, filtered, newest first, with a streamed CSV export. */
export function auditHistoryRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/admin/history', async (c) => {
    const actor = adminActor(c);
    const { t, locale } = c.var;
    const th = t.auditHistory;
    const query = queryOf(c);
    const { page, problems } = await browseAuditHistory(c.var.deps.store.db, actor, query, { after: c.req.query('after'), before: c.req.query('before') });
    const filters = Object.fromEntries(FILTERS.map((f) => [f, query[f]]));
    const error = (f: AuditQueryField) => (problems[f] ? th.problems[problems[f]!] : undefined);
    const kinds = [{ value: '', label: th.anyKind }, ...HISTORY_FIELDS.map((f) => ({ value: f, label: kindLabel(t, f) }))];
    return renderPage(
      c,
      th.title,
      <>
        <h1>{th.title}</h1>
        <p>{th.intro}</p>
        <FilterForm path="/admin/history" t={t}>
          <FormField name="run" label={th.run} value={query.run} error={error('run')} maxlength={100} t={t} />
          <FormField name="person" type="email" label={th.person} value={query.person} error={error('person')} maxlength={254} t={t} />
          <FormField name="actor" type="email" label={th.actor} value={query.actor} error={error('actor')} maxlength={254} t={t} />
          <FormField name="kind" kind="select" label={th.kind} value={query.kind} options={kinds} error={error('kind')} t={t} />
          <FormField name="from" type="date" label={th.from} value={query.from} error={error('from')} t={t} />
          <FormField name="to" type="date" label={th.to} value={query.to} error={error('to')} t={t} />
        </FilterForm>
        <p>
          <a href={listHref('/admin/history.csv', filters)} download>
            {th.export}
          </a>
        </p>
        {page.rows.length === 0 ? (
          <p class="notice" role="status">
            {th.none}
          </p>
        ) : (
          <HistoryRows rows={page.rows} t={t} locale={locale} />
        )}
        {(page.next || page.previous) && (
          <nav class="pager" aria-label={t.views.pages}>
            {page.previous && <a href={listHref('/admin/history', filters)}>{t.views.firstPage}</a>}
            {page.previous && (
              <a href={listHref('/admin/history', filters, { before: page.previous })} rel="prev">
                {t.views.previousPage}
              </a>
            )}
            {page.next && (
              <a href={listHref('/admin/history', filters, { after: page.next })} rel="next">
                {t.views.nextPage}
              </a>
            )}
          </nav>
        )}
      </>,
    );
  });

  app.get('/admin/history.csv', async (c) => {
    const actor = adminActor(c);
    const { t, locale } = c.var;
    const batches = exportAuditHistory(c.var.deps.store.db, actor, queryOf(c));
    // Rows are read a batch at a time and written through csv-stringify as the client reads them:
    // the export never holds the whole history in memory. BOM and `;` for Excel in a Belgian locale.
    async function* records() {
      for await (const rows of batches) {
        for (const r of rows) {
          yield [
            r.at,
            r.actor_name ?? t.history.system,
            r.actor_email ?? '',
            r.person_name ?? '',
            r.person_email ?? '',
            r.run_code ?? '',
            describeHistoryField(t, locale, r),
            describeHistoryValue(t, locale, r.field, r.old_value, r.note),
            describeHistoryValue(t, locale, r.field, r.new_value, r.note),
            noteText(t, r.note),
            sourceText(t, r.source),
          ];
        }
      }
    }
    const csv = stringify({ delimiter: ';', bom: true, header: true, columns: t.auditHistory.csvHeaders, record_delimiter: 'windows' });
    // pipeline, not pipe: a read that fails mid-export (the client gone, the database closing) ends
    // the download as failed instead of becoming an unhandled stream error.
    pipeline(Readable.from(records()), csv, (error) => {
      if (error) c.var.deps.logger.warn({ requestId: c.var.requestId, err: error }, 'history export ended early');
    });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="presentia-history-${new Date().toISOString().slice(0, 10)}.csv"`);
    return c.body(Readable.toWeb(csv) as unknown as ReadableStream);
  });

  return app;
}
