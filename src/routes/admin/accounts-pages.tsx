import { formatDate, type Locale, type Messages } from '../../i18n/index.ts';
import type { Role } from '../../db/schema.ts';
import { ErrorSummary, FormField, type FieldErrors } from '../../views/form-field.tsx';
import { CsrfField } from '../../views/layout.tsx';

const ROLE_ORDER: readonly Role[] = ['participant', 'teacher', 'admin'];

/** What an account form holds, as typed. */
export interface AccountFormValues {
  email: string;
  name: string;
  roles: readonly string[];
}

/** The roles as checkboxes in a fieldset, with the reason for a refusal beside them. */
function RolesField({ t, values, error }: { t: Messages; values: readonly string[]; error?: string | undefined }) {
  return (
    <fieldset class={error ? 'field field-invalid' : 'field'} id="field-roles" aria-describedby={error ? 'field-roles-error' : undefined}>
      <legend>{t.adminAccounts.roles}</legend>
      {ROLE_ORDER.map((role) => (
        <div>
          <input type="checkbox" id={`role-${role}`} name="roles" value={role} checked={values.includes(role) || undefined} />{' '}
          <label for={`role-${role}`}>{t.roles[role]}</label>
        </div>
      ))}
      {error && (
        <p class="field-error" id="field-roles-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** E-mail, name and roles with kept values and reasons, and the error summary on top. */
function AccountFields({ t, values, errors }: { t: Messages; values: AccountFormValues; errors: FieldErrors }) {
  const ta = t.adminAccounts;
  return (
    <>
      <ErrorSummary errors={errors} labels={{ email: ta.email, name: ta.name, roles: ta.roles }} t={t} />
      <FormField name="email" type="email" label={ta.email} value={values.email} error={errors.email} required maxlength={254} autocomplete="off" t={t} />
      <FormField name="name" label={ta.name} value={values.name} error={errors.name} required maxlength={200} autocomplete="off" t={t} />
      <RolesField t={t} values={values.roles} error={errors.roles} />
    </>
  );
}

/** **Nieuwe gebruiker**: e-mail, name and roles; no password (a one-time link follows). */
export function NewUserPage(props: { t: Messages; csrfToken: string; values: AccountFormValues; errors: FieldErrors }) {
  const { t } = props;
  return (
    <>
      <p>
        <a href="/admin/users">{t.adminUsers.backToList}</a>
      </p>
      <h1>{t.adminAccounts.newTitle}</h1>
      <p>{t.adminAccounts.newIntro}</p>
      <form method="post" action="/admin/users/new" novalidate>
        <CsrfField token={props.csrfToken} />
        <AccountFields t={t} values={props.values} errors={props.errors} />
        <button type="submit" class="button-primary">
          {t.adminAccounts.create}
        </button>
      </form>
    </>
  );
}

/** The one-time link, shown to the administrator once, in a field they can copy from. */
export function PasswordLinkNotice({ t, locale, url, expiresAt }: { t: Messages; locale: Locale; url: string; expiresAt: string }) {
  return (
    <div class="notice" role="status" id="password-link">
      <label for="password-link-url">{t.adminAccounts.passwordLinkShown}</label>
      <input id="password-link-url" type="text" readonly value={url} size={80} />
      <p>{t.adminAccounts.passwordLinkExpires(formatDate(locale, expiresAt, true))}</p>
    </div>
  );
}

export interface AccountUser {
  id: string;
  email: string;
  name: string;
  roles: readonly Role[];
  anonymised_at: string | null;
  deactivated_at: string | null;
}

/** The account panels of a person's page: edit details, password link, deactivate or reactivate. */
export function AccountPanels(props: { user: AccountUser; t: Messages; locale: Locale; csrfToken: string; values?: AccountFormValues | undefined; errors?: FieldErrors | undefined }) {
  const { user, t, locale } = props;
  const ta = t.adminAccounts;
  if (user.anonymised_at) return null;
  const base = `/admin/users/${encodeURIComponent(user.id)}`;
  return (
    <>
      {user.deactivated_at && (
        <p class="notice">
          <span class="badge status-other">{ta.deactivatedBadge}</span> {ta.deactivatedAt}: {formatDate(locale, user.deactivated_at, true)}
        </p>
      )}
      <section class="panel" id="edit">
        <h2>{ta.editTitle}</h2>
        <form method="post" action={base} novalidate>
          <CsrfField token={props.csrfToken} />
          <AccountFields t={t} values={props.values ?? { email: user.email, name: user.name, roles: user.roles }} errors={props.errors ?? {}} />
          <button type="submit" class="button-primary">
            {ta.save}
          </button>
        </form>
      </section>
      {!user.deactivated_at && (
        <section class="panel">
          <h2>{ta.passwordTitle}</h2>
          <p>{ta.passwordText}</p>
          <form method="post" action={`${base}/password-link`}>
            <CsrfField token={props.csrfToken} />
            <button type="submit" class="button-secondary">
              {ta.passwordLinkButton}
            </button>
          </form>
        </section>
      )}
      <section class="panel">
        <h2>{ta.deactivateTitle}</h2>
        <p>{ta.deactivateText}</p>
        <form method="post" action={`${base}/${user.deactivated_at ? 'reactivate' : 'deactivate'}`}>
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="button-secondary">
            {user.deactivated_at ? ta.reactivate : ta.deactivate}
          </button>
        </form>
      </section>
    </>
  );
}

/** The page a one-time link opens: choose a password (or why the link no longer works). */
export function SetPasswordPage(props: { t: Messages; csrfToken: string; token: string; name?: string | undefined; errors?: FieldErrors | undefined }) {
  const { t } = props;
  const tp = t.passwordLink;
  if (props.name === undefined) {
    return (
      <>
        <h1>{tp.title}</h1>
        <p class="error-summary" role="alert">
          {tp.unusable}
        </p>
        <p>
          <a href="/login">{t.login.title}</a>
        </p>
      </>
    );
  }
  const errors = props.errors ?? {};
  const field = (name: 'password' | 'repeat', label: string, hint?: string) => (
    <div class={errors[name] ? 'field field-invalid' : 'field'}>
      <label for={`field-${name}`}>{label}</label>
      {hint && (
        <p class="muted small" id={`field-${name}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={`field-${name}`}
        name={name}
        type="password"
        autocomplete="new-password"
        required
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={[hint ? `field-${name}-hint` : '', errors[name] ? `field-${name}-error` : ''].filter(Boolean).join(' ') || undefined}
      />
      {errors[name] && (
        <p class="field-error" id={`field-${name}-error`}>
          {errors[name]}
        </p>
      )}
    </div>
  );
  return (
    <>
      <h1>{tp.title}</h1>
      <p>{tp.intro(props.name)}</p>
      <ErrorSummary errors={errors} labels={{ password: tp.password, repeat: tp.repeat }} t={t} />
      <form method="post" action={`/password/${encodeURIComponent(props.token)}`}>
        <CsrfField token={props.csrfToken} />
        {field('password', tp.password, tp.hint)}
        {field('repeat', tp.repeat)}
        <button type="submit" class="button-primary">
          {tp.submit}
        </button>
      </form>
    </>
  );
}
