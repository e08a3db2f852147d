import { Hono } from 'hono';
import { formatDate } from '../../i18n/index.ts';
import { getAdminOverview } from '../../services/admin-overview.ts';
import type { AppEnv } from '../../web/context.ts';
import { requireRole } from '../../web/guards.ts';
import { renderPage } from '../../web/render.tsx';

export function adminRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/admin', async (c) => {
    const user = requireRole(c, 'admin');
    const page = Math.max(0, Math.min(10_000, Number.parseInt(c.req.query('page') ?? '0', 10) || 0));
    const overview = await getAdminOverview(c.var.deps.store.db, { id: user.id, roles: user.roles, source: 'admin' }, page);
    const { t, locale } = c.var;
    return renderPage(
      c,
      t.admin.title,
      <>
        <h1>{t.admin.title}</h1>
        <p>{t.admin.intro}</p>
        <p>
          <a href="/admin/users">{t.adminUsers.title}</a> · <a href="/admin/imports">{t.csvImport.title}</a> · <a href="/admin/history">{t.auditHistory.link}</a>
        </p>
        {overview.runs.length === 0 ? (
          <p class="notice">{t.admin.noRuns}</p>
        ) : (
          <table class="data">
            <caption>{t.admin.runsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.teacher.course}</th>
                <th scope="col">{t.teacher.dates}</th>
                <th scope="col">{t.teacher.place}</th>
                <th scope="col" class="num">
                  {t.teacher.participants}
                </th>
              </tr>
            </thead>
            <tbody>
              {overview.runs.map((run) => (
                <tr>
                  <th scope="row">
                    <a href={`/teacher/runs/${run.id}`}>{run.course_title}</a> <span class="muted">({run.code})</span>
                    {run.cancelled_at && <span class="badge status-other">{t.teacher.cancelled}</span>}{' '}
                    <a href={`/admin/runs/${run.id}/enrolments`} aria-label={`${t.adminEnrolments.link}: ${run.course_title} (${run.code})`}>
                      {t.adminEnrolments.link}
                    </a>
                  </th>
                  <td>
                    {formatDate(locale, run.starts_on)} – {formatDate(locale, run.ends_on)}
                  </td>
                  <td>{run.place}</td>
                  <td class="num">{run.participants}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav class="pager" aria-label={t.admin.pages}>
          {page > 0 && <a href={`/admin?page=${page - 1}`}>{t.admin.previous}</a>}{' '}
          {overview.hasMore && <a href={`/admin?page=${page + 1}`}>{t.admin.next}</a>}
        </nav>
      </>,
    );
  });

  return app;
}
