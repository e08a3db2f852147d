import { Hono, type Context } from 'hono';
import type { ImportKind, PlannedLine } from '../../domain/csv-import.ts';
import type { Messages } from '../../i18n/index.ts';
import { ImportRefused, previewImport, runImport, stageImport, type ImportPreview } from '../../services/csv-import.ts';
import { CsrfField } from '../../views/layout.tsx';
import type { AppEnv } from '../../web/context.ts';
import { renderPage } from '../../web/render.tsx';
import { adminActor } from './admin-forms.tsx';

/** Lines of a preview shown in full; refused lines are always all listed (up to the same bound). */
const PREVIEW_LINES = 200;

const count = (value: string | undefined) => Math.max(0, Math.min(1_000_000, Number.parseInt(value ?? '', 10) || 0));

function UploadForm({ t, csrfToken, kind, error }: { t: Messages; csrfToken: string; kind: ImportKind; error?: string | undefined }) {
  const ti = t.csvImport;
  return (
    <form method="post" action="/admin/imports" enctype="multipart/form-data" novalidate>
      <CsrfField token={csrfToken} />
      <fieldset class="field">
        <legend>{ti.kind}</legend>
        {(['users', 'enrolments'] as const).map((k) => (
          <div>
            <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={kind === k || undefined} aria-describedby={`kind-${k}-hint`} />{' '}
            <label for={`kind-${k}`}>{ti.kinds[k]}</label>
            <p class="muted small" id={`kind-${k}-hint`}>
              {ti.kindHints[k]}
            </p>
          </div>
        ))}
      </fieldset>
      <div class={error ? 'field field-invalid' : 'field'}>
        <label for="field-file">{ti.file}</label>
        <input id="field-file" name="file" type="file" accept=".csv,text/csv" required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'field-file-error' : undefined} />
        {error && (
          <p class="field-error" id="field-file-error">
            {error}
          </p>
        )}
      </div>
      <button type="submit" class="button-primary">
        {ti.upload}
      </button>
    </form>
  );
}

function lineValues(preview: ImportPreview, line: PlannedLine<any>): string {
  const v = line.values as Record<string, unknown>;
  return preview.kind === 'users' ? [v.email, v.name, ((v.roles as string[] | undefined) ?? []).join(', ')].filter(Boolean).join(' · ') : `${v.email} · ${v.run}`;
}

function LinesTable({ preview, lines, caption, t }: { preview: ImportPreview; lines: readonly PlannedLine<any>[]; caption: string; t: Messages }) {
  const ti = t.csvImport;
  return (
    <div class="table-scroll" tabindex={0} role="region" aria-label={caption}>
      <table class="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              {ti.line}
            </th>
            <th scope="col">{ti.outcome}</th>
            <th scope="col">{ti.values}</th>
            <th scope="col">{ti.reason}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr>
              <th scope="row" class="num">
                {l.line}
              </th>
              <td>{ti.outcomes[l.outcome]}</td>
              <td>
                <bdi>{lineValues(preview, l)}</bdi>
              </td>
              <td>{l.reason ? ti.reasons[l.reason] : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PreviewPage({ preview, t, csrfToken, error }: { preview: ImportPreview; t: Messages; csrfToken: string; error?: string | undefined }) {
  const ti = t.csvImport;
  const action = `/admin/imports/${encodeURIComponent(preview.id)}`;
  const lines = preview.planned?.lines ?? [];
  const refused = lines.filter((l) => l.outcome === 'refused');
  return (
    <>
      <p>
        <a href="/admin/imports">{ti.title}</a>
      </p>
      <h1>{ti.previewTitle(preview.fileName)}</h1>
      {error && (
        <p class="error-summary" role="alert" id="banner">
          {error}
        </p>
      )}
      {preview.refusal ? (
        <div class="error-summary" role="alert">
          <p>{ti.fileProblems[preview.refusal.problem]}</p>
          {preview.refusal.line !== undefined && <p>{ti.atLine(preview.refusal.line)}</p>}
          {preview.refusal.columns && <p>{ti.missingColumns(preview.refusal.columns.map((c) => ti.columnNames[c] ?? c).join(', '))}</p>}
        </div>
      ) : (
        <>
          <p role="status">{ti.counts(preview.counts)}</p>
          <form method="post" action={action}>
            <CsrfField token={csrfToken} />
            {preview.counts.refused > 0 && <p>{ti.validOnlyExplained}</p>}
            <div class="actions">
              {preview.counts.refused === 0 ? (
                <button type="submit" name="mode" value="all" class="button-primary">
                  {ti.importAll}
                </button>
              ) : (
                <button type="submit" name="mode" value="valid" class="button-primary">
                  {ti.importValid}
                </button>
              )}
            </div>
          </form>
          <LinesTable preview={preview} lines={lines.slice(0, PREVIEW_LINES)} caption={ti.caption} t={t} />
          {lines.length > PREVIEW_LINES && <p class="muted">{ti.shownLines(PREVIEW_LINES, lines.length)}</p>}
          {refused.length > 0 && lines.length > PREVIEW_LINES && <LinesTable preview={preview} lines={refused.slice(0, 1000)} caption={ti.refusedCaption} t={t} />}
        </>
      )}
    </>
  );
}

/** **Importeren uit CSV**: upload (staged once), preview line by line, import in one transaction. */
export function adminImportRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/admin/imports', (c) => {
    adminActor(c);
    const { t } = c.var;
    const done = c.req.query('imported') === '1' ? t.csvImport.imported({ new: count(c.req.query('new')), changed: count(c.req.query('changed')) }, count(c.req.query('waiting'))) : undefined;
    return renderPage(
      c,
      t.csvImport.title,
      <>
        <h1>{t.csvImport.title}</h1>
        {done && (
          <p class="notice" role="status" id="banner">
            {done}
          </p>
        )}
        <p>{t.csvImport.intro}</p>
        <UploadForm t={t} csrfToken={c.var.csrfToken} kind={c.req.query('kind') === 'enrolments' ? 'enrolments' : 'users'} />
      </>,
    );
  });

  app.post('/admin/imports', async (c) => {
    const actor = adminActor(c);
    const { t } = c.var;
    const body = await c.req.parseBody();
    const kind: ImportKind = body.kind === 'enrolments' ? 'enrolments' : 'users';
    const file = body.file;
    const refuse = (reason: 'empty_file' | 'too_large') =>
      renderPage(
        c,
        t.csvImport.title,
        <>
          <h1>{t.csvImport.title}</h1>
          <UploadForm t={t} csrfToken={c.var.csrfToken} kind={kind} error={t.csvImport.refusals[reason]} />
        </>,
        422,
      );
    if (!(file instanceof File) || file.size === 0) return refuse('empty_file');
    try {
      const id = await stageImport(c.var.deps.store.db, actor, kind, file.name || `${kind}.csv`, new TextDecoder('utf-8').decode(await file.arrayBuffer()));
      return c.redirect(`/admin/imports/${encodeURIComponent(id)}`, 303);
    } catch (error) {
      if (error instanceof ImportRefused && (error.reason === 'empty_file' || error.reason === 'too_large')) return refuse(error.reason);
      throw error;
    }
  });

  app.get('/admin/imports/:id', async (c) => {
    const actor = adminActor(c);
    const preview = await previewImport(c.var.deps.store.db, actor, c.req.param('id'));
    return renderPage(c, c.var.t.csvImport.previewTitle(preview.fileName), <PreviewPage preview={preview} t={c.var.t} csrfToken={c.var.csrfToken} />);
  });

  app.post('/admin/imports/:id', async (c) => {
    const actor = adminActor(c);
    const id = c.req.param('id');
    const { db } = c.var.deps.store;
    const body = await c.req.parseBody();
    const mode = body.mode === 'valid' ? 'valid' : 'all';
    try {
      const result = await runImport(db, actor, id, mode);
      const params = new URLSearchParams({ imported: '1', new: String(result.counts.new), changed: String(result.counts.changed), waiting: String(result.waiting) });
      return c.redirect(`/admin/imports?${params}#banner`, 303);
    } catch (error) {
      if (!(error instanceof ImportRefused)) throw error;
      const preview = await previewImport(db, actor, id);
      return renderPage(c, c.var.t.csvImport.previewTitle(preview.fileName), <PreviewPage preview={preview} t={c.var.t} csrfToken={c.var.csrfToken} error={c.var.t.csvImport.refusals[error.reason]} />, 422);
    }
  });

  return app;
}
