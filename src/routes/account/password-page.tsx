import type { Messages } from '../../i18n/index.ts';
import type { PasswordField, PasswordProblem } from '../../services/account.ts';
import { CsrfField } from '../../views/layout.tsx';

/** The password change form; a refused form comes back with each problem beside its field (passwords are never sent back). */
export function PasswordPage(props: { t: Messages; csrfToken: string; problems?: ReadonlyMap<PasswordField, PasswordProblem> }) {
  const { t } = props;
  const problems = props.problems ?? new Map<PasswordField, PasswordProblem>();
  const message = (field: PasswordField) => {
    const p = problems.get(field);
    return p && t.account.errors[p];
  };
  const field = (name: PasswordField, id: string, label: string, autocomplete: string, hint?: string) => {
    const error = message(name);
    const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return (
      <div class="field">
        <label for={id}>{label}</label>
        {hint && (
          <p class="muted small" id={`${id}-hint`}>
            {hint}
          </p>
        )}
        <input
          id={id}
          name={id}
          type="password"
          autocomplete={autocomplete}
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described || undefined}
        />
        {error && (
          <p class="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
    );
  };
  return (
    <section class="panel narrow">
      <h1>{t.account.passwordPageTitle}</h1>
      {problems.size > 0 && (
        <div class="error-summary" role="alert" id="banner">
          <p>{t.account.notChanged}</p>
          {message('form') && <p>{message('form')}</p>}
        </div>
      )}
      <p>{t.account.passwordIntro}</p>
      <form method="post" action="/account/password" novalidate>
        <CsrfField token={props.csrfToken} />
        {field('current', 'current', t.account.currentPassword, 'current-password')}
        {field('new', 'new', t.account.newPassword, 'new-password', t.account.newPasswordHint)}
        {field('repeat', 'repeat', t.account.repeatPassword, 'new-password')}
        <button type="submit" class="button-primary">
          {t.account.submitPassword}
        </button>
      </form>
      <p>
        <a href="/account">{t.account.backToAccount}</a>
      </p>
    </section>
  );
}
