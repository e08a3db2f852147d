import type { Messages } from '../../i18n/index.ts';
import type { UserWithRoles } from '../../repositories/users.ts';

/** **Mijn account**: the profile, the download of all one's data, the password change, and how to have one's data erased. */
export function AccountPage({ user, t, notice }: { user: UserWithRoles; t: Messages; notice?: string | undefined }) {
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
