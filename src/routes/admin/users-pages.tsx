import type { Child } from 'hono/jsx';
import { formatDate, formatPoints, type Locale, type Messages } from '../../i18n/index.ts';
import type { findUsers, getUserForAdmin } from '../../services/privacy-users.ts';
import { CsrfField } from '../../views/layout.tsx';

type Found = Awaited<ReturnType<typeof findUsers>>;
type AdminUser = Awaited<ReturnType<typeof getUserForAdmin>>;

function pageHref(query: string, page: number): string {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (page > 0) params.set('page', String(page));
  const s = params.toString();
  return s ? `/admin/users?${s}` : '/admin/users';
}

/** **Gebruikers**: a search by name or e-mail address, a page of results, and links to each person. */
export function UsersPage({ found, t }: { found: Found; t: Messages }) {
  const tu = t.adminUsers;
  return (
    <>
      <h1>{tu.title}</h1>
      <p>{tu.intro}</p>
      <p>
        <a href="/admin/users/new" class="button-secondary">
          {t.adminAccounts.newUser}
        </a>
      </p>
      <form method="get" action="/admin/users" class="table-tools" role="search">
        <div class="field">
          <label for="user-query">{tu.searchLabel}</label>
          <input id="user-query" name="q" type="search" value={found.query} maxlength={200} autocomplete="off" />
        </div>
        <button type="submit" class="button-secondary">
          {tu.search}
        </button>
      </form>
      {found.users.length === 0 ? (
        <p class="notice">{tu.none}</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <caption>{found.query ? tu.resultsFor(found.query) : tu.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{tu.name}</th>
                <th scope="col">{tu.email}</th>
                <th scope="col">{tu.roles}</th>
                <th scope="col">{tu.state}</th>
              </tr>
            </thead>
            <tbody>
              {found.users.map((u) => (
                <tr>
                  <th scope="row">
                    <a href={`/admin/users/${encodeURIComponent(u.id)}`}>
                      <bdi>{u.name}</bdi>
                    </a>
                  </th>
                  <td>
                    <bdi>{u.email}</bdi>
                  </td>
                  <td>{u.roles.map((r) => t.roles[r]).join(', ')}</td>
                  <td>
                    {u.anonymised_at ? (
                      <span class="badge status-other">{tu.anonymisedBadge}</span>
                    ) : u.deactivated_at ? (
                      <span class="badge status-other">{t.adminAccounts.deactivatedBadge}</span>
                    ) : (
                      tu.active
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={tu.pages}>
        {found.page > 0 && <a href={pageHref(found.query, found.page - 1)}>{tu.previous}</a>}{' '}
        {found.hasMore && <a href={pageHref(found.query, found.page + 1)}>{tu.next}</a>}
      </nav>
    </>
  );
}

/** One person for an administrator, with the anonymisation form (a confirmation box must be ticked). */
export function UserPage(props: {
  user: AdminUser;
  t: Messages;
  locale: Locale;
  csrfToken: string;
  banner?: { tone: 'success' | 'error'; text: string } | undefined;
  confirmError?: string | undefined;
  /** The account panels (edit, password link, deactivate), shown above the anonymisation. */
  account?: Child;
}) {
  const { user, t, locale } = props;
  const tu = t.adminUsers;
  return (
    <>
      <p>
        <a href="/admin/users">{tu.backToList}</a>
      </p>
      <h1>
        <bdi>{user.name}</bdi>
      </h1>
      {props.banner && (
        <p class={props.banner.tone === 'success' ? 'notice' : 'error-summary'} role={props.banner.tone === 'success' ? 'status' : 'alert'} id="banner">
          {props.banner.text}
        </p>
      )}
      <table class="data">
        <caption>{tu.factsCaption}</caption>
        <tbody>
          <tr>
            <th scope="row">{tu.email}</th>
            <td>
              <bdi>{user.email}</bdi>
            </td>
          </tr>
          <tr>
            <th scope="row">{tu.roles}</th>
            <td>{user.roles.map((r) => t.roles[r]).join(', ')}</td>
          </tr>
          <tr>
            <th scope="row">{tu.createdAt}</th>
            <td>{formatDate(locale, user.created_at)}</td>
          </tr>
          {user.anonymised_at && (
            <tr>
              <th scope="row">{tu.anonymisedAt}</th>
              <td>{formatDate(locale, user.anonymised_at, true)}</td>
            </tr>
          )}
          <tr>
            <th scope="row">{tu.enrolments}</th>
            <td>{user.totals.enrolments}</td>
          </tr>
          <tr>
            <th scope="row">{tu.certificates}</th>
            <td>{user.totals.certificates}</td>
          </tr>
          <tr>
            <th scope="row">{tu.points}</th>
            <td>{formatPoints(locale, user.totals.points)}</td>
          </tr>
        </tbody>
      </table>
      <p>
        {t.transcript.adminTitle(user.name)}:{' '}
        <a href={`/admin/users/${user.id}/study-points.pdf`} download>
          {t.transcript.downloadPdf}
        </a>{' '}
        ·{' '}
        <a href={`/admin/users/${user.id}/study-points.csv`} download>
          {t.transcript.downloadCsv}
        </a>
      </p>
      {props.account}
      {!user.anonymised_at && (
        <section class="panel">
          <h2>{tu.anonymiseTitle}</h2>
          <p>{tu.anonymiseText}</p>
          <form method="post" action={`/admin/users/${encodeURIComponent(user.id)}/anonymise`}>
            <CsrfField token={props.csrfToken} />
            <div class="field">
              <input
                id="confirm"
                name="confirm"
                type="checkbox"
                value="1"
                required
                aria-invalid={props.confirmError ? 'true' : undefined}
                aria-describedby={props.confirmError ? 'confirm-error' : undefined}
              />{' '}
              <label for="confirm">{tu.anonymiseConfirm}</label>
              {props.confirmError && (
                <p class="field-error" id="confirm-error">
                  {props.confirmError}
                </p>
              )}
            </div>
            <button type="submit" class="button-primary">
              {tu.anonymiseSubmit}
            </button>
          </form>
        </section>
      )}
    </>
  );
}
