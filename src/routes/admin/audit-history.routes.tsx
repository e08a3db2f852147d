import { Hono, type Context } from 'hono';
import type { Locale, Messages } from '../../i18n/index.ts';
import type { AuditRow } from '../../repositories/audit-history.ts';
import type { Actor } from '../../services/actor.ts';
import type { Column } from '../../services/exports/table-export.ts';
import { browseAuditHistory, exportAuditHistory, HISTORY_FIELDS, type AuditQuery, type AuditQueryField } from '../../services/audit-history.ts';
import { FormField } from '../../views/form-field.tsx';
import { FilterForm, listHref } from '../../views/paged-table.tsx';
import type { AppEnv } from '../../web/context.ts';
import { requireRole } from '../../web/guards.ts';
import { renderPage } from '../../web/render.tsx';
import { tableDownload, type TableFormat } from '../documents/downloads.ts';
import { AdminNav } from './admin-forms.tsx';
import { ChangeCells, WhenWhoCells, describeHistoryField, describeHistoryValues } from '../participant/history-table.tsx';

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

/** The columns of the history export, headed and described in the reader's language, as the page describes each change. */
function historyColumns(t: Messages, locale: Locale): Column<AuditRow>[] {
  const x = t.auditHistory.columns;
  // Both value columns come from one reading of the row (a change at several meetings is JSON).
  const described = new WeakMap<AuditRow, [string, string]>();
  const values = (r: AuditRow) => {
    let pair = described.get(r);
    if (!pair) described.set(r, (pair = describeHistoryValues(t, locale, r)));
    return pair;
  };
  return [
    { header: x.at, type: 'dateTime', value: (r) => r.at },
    { header: x.actorName, type: 'text', value: (r) => r.actor_name ?? t.history.system, width: 24 },
    { header: x.actorEmail, type: 'text', value: (r) => r.actor_email, width: 28 },
    { header: x.personName, type: 'text', value: (r) => r.person_name, width: 24 },
    { header: x.personEmail, type: 'text', value: (r) => r.person_email, width: 28 },
    { header: x.run, type: 'text', value: (r) => r.run_code, width: 16 },
    { header: x.kind, type: 'text', value: (r) => describeHistoryField(t, locale, r), width: 28 },
    { header: x.oldValue, type: 'text', value: (r) => values(r)[0], width: 24 },
    { header: x.newValue, type: 'text', value: (r) => values(r)[1], width: 24 },
    { header: x.note, type: 'text', value: (r) => noteText(t, r.note), width: 28 },
    { header: x.source, type: 'text', value: (r) => sourceText(t, r.source), width: 16 },
  ];
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
              <WhenWhoCells t={t} locale={locale} row={r} />
              <td>{r.person_name && <bdi>{r.person_name}</bdi>}</td>
              <td>{r.run_code && <bdi>{r.run_code}</bdi>}</td>
              <ChangeCells t={t} locale={locale} row={r} />
              <td>{sourceText(t, r.source)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** **Geschiedenis** for administrators: the append-only history, filtered, newest first, with streamed CSV and XLSX exports. */
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
        <AdminNav t={t} current="history" />
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
          {th.export}{' '}
          <a href={listHref('/admin/history.csv', filters)} download>
            {th.exportCsv}
          </a>
          {' · '}
          <a href={listHref('/admin/history.xlsx', filters)} download>
            {th.exportXlsx}
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

  /** The filtered history as CSV or XLSX: the page's filters and query, streamed a keyset page at a time. */
  const exportHistory = async (c: Context<AppEnv>, format: TableFormat) => {
    const actor = adminActor(c);
    const { t, locale } = c.var;
    const rows = await exportAuditHistory(c.var.deps.store.db, actor, queryOf(c));
    const fileName = `${t.auditHistory.fileName}-${new Date().toISOString().slice(0, 10)}`;
    return tableDownload(c, format, rows, historyColumns(t, locale), { fileName, sheetName: t.auditHistory.sheetName });
  };
  app.get('/admin/history.csv', (c) => exportHistory(c, 'csv'));
  app.get('/admin/history.xlsx', (c) => exportHistory(c, 'xlsx'));

  return app;
}
