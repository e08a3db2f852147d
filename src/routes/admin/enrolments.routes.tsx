import { Hono, type Context } from 'hono';
import { formatDate, type Locale, type Messages } from '../../i18n/index.ts';
import type { Actor } from '../../services/actor.ts';
import type { Notice } from '../../services/flash.ts';
import { EnrolmentRefused, enrolInRun, getEnrolmentForRemoval, getRunEnrolments, removeEnrolment, removeFromWaitingList } from '../../services/admin-enrolments.ts';
import { findUsers } from '../../services/privacy-users.ts';
import { ConfirmScreen } from '../../views/confirm-screen.tsx';
import { CsrfField } from '../../views/layout.tsx';
import { PagedTable } from '../../views/paged-table.tsx';
import type { AppEnv } from '../../web/context.ts';
import { noticeCount, redirectWithNotice, takeNotice } from '../../web/notice.ts';
import { renderPage } from '../../web/render.tsx';
import { adminActor } from './admin-forms.tsx';

type RunEnrolments = Awaited<ReturnType<typeof getRunEnrolments>>;
type Found = Awaited<ReturnType<typeof findUsers>>;



function RunHeader({ data, t }: { data: RunEnrolments; t: Messages }) {
  const te = t.adminEnrolments;
  return (
    <>
      <p>
        <a href="/admin">{t.admin.title}</a>
      </p>
      <h1>{te.title(data.run.course_title, data.run.code)}</h1>
      <p>
        {te.places(data.run.taken, data.run.capacity)}. {te.waitingCount(data.run.waiting)}.
      </p>
      {data.run.cancelled_at && <p class="notice">{te.cancelledRun}</p>}
    </>
  );
}

/** Search people by name or e-mail and enrol the ticked ones. */
function EnrolForm({ runId, found, t, csrfToken, error }: { runId: string; found: Found | undefined; t: Messages; csrfToken: string; error?: string | undefined }) {
  const te = t.adminEnrolments;
  const base = `/admin/runs/${encodeURIComponent(runId)}/enrolments`;
  return (
    <section class="panel" id="enrol">
      <h2>{te.enrolTitle}</h2>
      <p>{te.enrolIntro}</p>
      <form method="get" action={`${base}#enrol`} class="table-tools" role="search">
        <div class="field">
          <label for="enrol-query">{te.searchLabel}</label>
          <input id="enrol-query" name="q" type="search" value={found?.query ?? ''} maxlength={200} autocomplete="off" />
        </div>
        <button type="submit" class="button-secondary">
          {te.search}
        </button>
      </form>
      {error && (
        <p class="error-summary" role="alert" id="enrol-error">
          {error}
        </p>
      )}
      {found &&
        (found.users.length === 0 ? (
          <p class="notice">{te.noResults}</p>
        ) : (
          <form method="post" action={base}>
            <CsrfField token={csrfToken} />
            <table class="data">
              <caption>{te.resultsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{te.name}</th>
                  <th scope="col">{te.email}</th>
                </tr>
              </thead>
              <tbody>
                {found.users.map((u) => (
                  <tr>
                    <th scope="row">
                      <input type="checkbox" name="user" value={u.id} id={`user-${u.id}`} disabled={!!u.anonymised_at || !!u.deactivated_at || undefined} />{' '}
                      <label for={`user-${u.id}`}>
                        <bdi>{u.name}</bdi>
                      </label>
                    </th>
                    <td>
                      <bdi>{u.email}</bdi>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="submit" class="button-primary">
              {te.enrol}
            </button>
          </form>
        ))}
    </section>
  );
}

function EnrolmentsTable({ data, t, locale, csrfToken }: { data: RunEnrolments; t: Messages; locale: Locale; csrfToken: string }) {
  const te = t.adminEnrolments;
  const base = `/admin/runs/${encodeURIComponent(data.run.id)}/enrolments`;
  type Row = RunEnrolments['page']['rows'][number];
  return (
    <PagedTable<Row>
      path={base}
      filters={{}}
      caption={te.listCaption}
      page={data.page}
      t={t}
      empty={te.noEnrolments}
      columns={[
        { header: te.name, rowHeader: true, cell: (r) => <bdi>{r.user_name}</bdi> },
        { header: te.email, cell: (r) => <bdi>{r.user_email}</bdi> },
        { header: te.status, cell: (r) => t.statuses[r.status] },
        { header: te.enrolledAt, cell: (r) => formatDate(locale, r.enrolled_at) },
        {
          header: te.actions,
          cell: (r) => (
            <form method="post" action={`${base}/${encodeURIComponent(r.id)}/remove`}>
              <CsrfField token={csrfToken} />
              <button type="submit" class="button-secondary" aria-label={te.removeLabel(r.user_name)}>
                {te.remove}
              </button>
            </form>
          ),
        },
      ]}
    />
  );
}

function WaitingTable({ data, t, locale, csrfToken }: { data: RunEnrolments; t: Messages; locale: Locale; csrfToken: string }) {
  const te = t.adminEnrolments;
  if (data.waiting.length === 0) return null;
  return (
    <div class="table-scroll">
      <table class="data">
        <caption>{te.waitingCaption}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              {te.position}
            </th>
            <th scope="col">{te.name}</th>
            <th scope="col">{te.addedAt}</th>
            <th scope="col">{te.actions}</th>
          </tr>
        </thead>
        <tbody>
          {data.waiting.map((w, i) => (
            <tr>
              <td class="num">{i + 1}</td>
              <th scope="row">
                <bdi>{w.user_name}</bdi>
              </th>
              <td>{formatDate(locale, w.added_at, true)}</td>
              <td>
                <form method="post" action={`/admin/runs/${encodeURIComponent(data.run.id)}/waiting/${encodeURIComponent(w.user_id)}/remove`}>
                  <CsrfField token={csrfToken} />
                  <button type="submit" class="button-secondary" aria-label={te.removeWaitingLabel(w.user_name)}>
                    {te.removeWaiting}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The message after an enrolment change, from the notice its form left with the session. */
function banner(t: Messages, notice: Notice | undefined): string | undefined {
  if (!notice) return undefined;
  const te = t.adminEnrolments;
  const n = (name: string) => noticeCount(notice, name);
  const moved = n('promoted') > 0 ? ` ${te.promoted(n('promoted'))}` : '';
  if (notice.key === 'enrolled') return `${te.enrolled(n('enrolled'), n('waiting'), n('already'))}${moved}`;
  if (notice.key === 'removed') return `${te.removed}${moved}`;
  if (notice.key === 'unwaited') return te.removedWaiting;
  return undefined;
}

/** **Inschrijvingen** of a run for administrators: enrol people (capacity and waiting list), remove a mistaken enrolment. */
export function adminEnrolmentRoutes() {
  const app = new Hono<AppEnv>();

  const page = async (c: Context<AppEnv>, actor: Actor, runId: string, extra: { status?: 200 | 409 | 422; error?: string; query?: string } = {}) => {
    const { db } = c.var.deps.store;
    const { t, locale, csrfToken } = c.var;
    const data = await getRunEnrolments(db, actor, runId, { after: c.req.query('after'), before: c.req.query('before') });
    const q = extra.query ?? c.req.query('q') ?? '';
    const found = q.trim() === '' ? undefined : await findUsers(db, actor, { query: q, page: 0 });
    const flash = extra.status ? undefined : banner(t, await takeNotice(c));
    return renderPage(
      c,
      t.adminEnrolments.title(data.run.course_title, data.run.code),
      <>
        <RunHeader data={data} t={t} />
        {flash && (
          <p class="notice" role="status" id="banner">
            {flash}
          </p>
        )}
        {!data.run.cancelled_at && <EnrolForm runId={runId} found={found} t={t} csrfToken={csrfToken} error={extra.error} />}
        <EnrolmentsTable data={data} t={t} locale={locale} csrfToken={csrfToken} />
        <WaitingTable data={data} t={t} locale={locale} csrfToken={csrfToken} />
      </>,
      extra.status ?? 200,
    );
  };

  app.get('/admin/runs/:runId/enrolments', (c) => page(c, adminActor(c), c.req.param('runId')));

  app.post('/admin/runs/:runId/enrolments', async (c) => {
    const actor = adminActor(c);
    const runId = c.req.param('runId');
    const body = await c.req.parseBody({ all: true });
    const userIds = ([] as unknown[]).concat(body.user ?? []).filter((u): u is string => typeof u === 'string' && u.length <= 100);
    try {
      const outcome = await enrolInRun(c.var.deps.store.db, actor, runId, userIds);
      const n = (p: string) => outcome.placements.filter((x) => x.placement === p).length;
      return redirectWithNotice(c, `/admin/runs/${encodeURIComponent(runId)}/enrolments#banner`, 'enrolled', {
        enrolled: n('enrolled'),
        waiting: n('waiting'),
        already: n('already_enrolled') + n('already_waiting'),
        promoted: outcome.promoted.length,
      });
    } catch (error) {
      if (error instanceof EnrolmentRefused) return page(c, actor, runId, { status: 422, error: c.var.t.adminEnrolments.refusals[error.reason] });
      throw error;
    }
  });

  app.post('/admin/runs/:runId/enrolments/:enrolmentId/remove', async (c) => {
    const actor = adminActor(c);
    const { runId, enrolmentId } = c.req.param();
    const { db } = c.var.deps.store;
    const { t } = c.var;
    const body = await c.req.parseBody();
    const base = `/admin/runs/${encodeURIComponent(runId)}/enrolments`;
    if (body.confirm !== '1') {
      const row = await getEnrolmentForRemoval(db, actor, runId, enrolmentId);
      return renderPage(
        c,
        t.adminEnrolments.removeTitle,
        <ConfirmScreen
          title={t.adminEnrolments.removeTitle}
          intro={t.adminEnrolments.removeIntro(row.name)}
          consequences={t.adminEnrolments.removeConsequences}
          action={`${base}/${encodeURIComponent(enrolmentId)}/remove`}
          confirmLabel={t.adminEnrolments.remove}
          cancelHref={base}
          csrfToken={c.var.csrfToken}
          t={t}
        />,
      );
    }
    try {
      const removed = await removeEnrolment(db, actor, runId, enrolmentId);
      return redirectWithNotice(c, `${base}#banner`, 'removed', { promoted: removed.promoted.length });
    } catch (error) {
      if (error instanceof EnrolmentRefused) return page(c, actor, runId, { status: 409, error: t.adminEnrolments.refusals[error.reason] });
      throw error;
    }
  });

  app.post('/admin/runs/:runId/waiting/:userId/remove', async (c) => {
    const actor = adminActor(c);
    const { runId, userId } = c.req.param();
    try {
      await removeFromWaitingList(c.var.deps.store.db, actor, runId, userId);
      return redirectWithNotice(c, `/admin/runs/${encodeURIComponent(runId)}/enrolments#banner`, 'unwaited');
    } catch (error) {
      if (error instanceof EnrolmentRefused) return page(c, actor, runId, { status: 409, error: c.var.t.adminEnrolments.refusals[error.reason] });
      throw error;
    }
  });

  return app;
}
