import { formatDate, type Locale, type Messages } from '../../i18n/index.ts';
import type { UserWithRoles } from '../../repositories/users.ts';
import { CsrfField } from '../../views/layout.tsx';

/** The calendar feed as the account page shows it: when the current address was made, and a new one just made (shown once). */
export interface CalendarFeedView {
  createdAt: string | undefined;
  newAddress: string | undefined;
}

/** **Agenda-abonnement**: the private feed address, shown once when made, and the button that makes a new one. */
function CalendarFeedSection({ feed, t, locale, csrfToken }: { feed: CalendarFeedView; t: Messages; locale: Locale; csrfToken: string }) {
  const tc = t.calendarFeed;
  return (
    <section class="panel" id="calendar" aria-labelledby="calendar-title">
      <h2 id="calendar-title">{tc.title}</h2>
      <p>{tc.text}</p>
      <p>{tc.secret}</p>
      {feed.newAddress ? (
        <div class="notice" role="status" id="calendar-flash">
          <p>{tc.created}</p>
          <label for="calendar-address">{tc.addressLabel}</label>
          <input id="calendar-address" type="text" readonly value={feed.newAddress} size={60} />
        </div>
      ) : (
        <p>{feed.createdAt ? tc.since(formatDate(locale, feed.createdAt, true)) : tc.none}</p>
      )}
      <form method="post" action="/account/calendar">
        <CsrfField token={csrfToken} />
        <button type="submit" class="button-secondary">
          {feed.createdAt ? tc.renew : tc.create}
        </button>
      </form>
    </section>
  );
}

/** **Mijn account**: the profile, the download of all one's data, the password change, and how to have one's data erased. */
export function AccountPage({
  user,
  t,
  locale,
  notice,
  feed,
  csrfToken,
}: {
  user: UserWithRoles;
  t: Messages;
  locale: Locale;
  notice?: string | undefined;
  feed: CalendarFeedView;
  csrfToken: string;
}) {
  return (
    <>
      <h1>{t.account.title}</h1>
      {notice && (
        <p class="notice" role="status" id="banner">
          {notice}
        </p>
      )}
      <p>{t.account.intro}</p>
      <table class="data">
        <caption>{t.account.profileCaption}</caption>
        <tbody>
          <tr>
            <th scope="row">{t.account.name}</th>
            <td>
              <bdi>{user.name}</bdi>
            </td>
          </tr>
          <tr>
            <th scope="row">{t.account.email}</th>
            <td>
              <bdi>{user.email}</bdi>
            </td>
          </tr>
          <tr>
            <th scope="row">{t.account.roles}</th>
            <td>{user.roles.map((r) => t.roles[r]).join(', ')}</td>
          </tr>
          <tr>
            <th scope="row">{t.account.language}</th>
            <td>{user.locale ? t.languages[user.locale] : t.account.languageNotChosen}</td>
          </tr>
        </tbody>
      </table>
      <section class="panel">
        <h2>{t.account.dataTitle}</h2>
        <p>{t.account.dataText}</p>
        <p>
          <a href="/account/data.json" download>
            {t.account.dataLink}
          </a>
        </p>
      </section>
      <CalendarFeedSection feed={feed} t={t} locale={locale} csrfToken={csrfToken} />
      <section class="panel">
        <h2>{t.account.passwordTitle}</h2>
        <p>{t.account.passwordText}</p>
        <p>
          <a href="/account/password">{t.account.passwordLink}</a>
        </p>
      </section>
      <section class="panel">
        <h2>{t.account.erasureTitle}</h2>
        <p>{t.account.erasureText}</p>
      </section>
    </>
  );
}
