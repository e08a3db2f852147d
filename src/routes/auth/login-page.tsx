import type { Messages } from '../../i18n/index.ts';
import { CsrfField } from '../../views/layout.tsx';

export function LoginPage(props: {
  t: Messages;
  csrfToken: string;
  next?: string | undefined;
  email?: string;
  notice?: string | undefined;
  errors?: { email?: string; password?: string; form?: string };
}) {
  const { t, errors = {} } = props;
  return (
    <section class="panel narrow">
      <h1>{t.login.title}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {errors.form && (
        <p class="error-summary" role="alert" id="login-error">
          {errors.form}
        </p>
      )}
      <form method="post" action="/login" novalidate>
        <CsrfField token={props.csrfToken} />
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <div class="field">
          <label for="email">{t.login.email}</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value={props.email ?? ''}
            aria-invalid={errors.email ? 'true' : undefined}
            aria-describedby={errors.email ? 'email-error' : undefined}
          />
          {errors.email && (
            <p class="field-error" id="email-error">
              {errors.email}
            </p>
          )}
        </div>
        <div class="field">
          <label for="password">{t.login.password}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            aria-invalid={errors.password ? 'true' : undefined}
            aria-describedby={errors.password ? 'password-error' : undefined}
          />
          {errors.password && (
            <p class="field-error" id="password-error">
              {errors.password}
            </p>
          )}
        </div>
        <button type="submit" class="button-primary">
          {t.login.submit}
        </button>
      </form>
    </section>
  );
}
