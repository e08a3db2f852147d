import type { Child } from 'hono/jsx';
import type { Messages } from '../i18n/index.ts';
import { CsrfField } from './layout.tsx';

/**
 * The second screen before a change that cannot simply be undone: it says what will happen, then
 * offers to confirm (a POST with the CSRF token, carrying `confirm=1` and the given fields) or to
 * cancel (a link back, nothing changed).
 */
export function ConfirmScreen(props: {
  title: string;
  /** One sentence on what the change is. */
  intro: string;
  /** What will happen, one consequence a line. */
  consequences: readonly Child[];
  action: string;
  /** Fields carried to the confirmed request, as entered. */
  fields?: readonly (readonly [string, string])[];
  confirmLabel?: string;
  cancelHref: string;
  csrfToken: string;
  t: Messages;
}) {
  const { t } = props;
  return (
    <section class="confirm" aria-labelledby="confirm-title">
      <h1 id="confirm-title">{props.title}</h1>
      <p>{props.intro}</p>
      {props.consequences.length > 0 && (
        <>
          <h2>{t.views.whatHappens}</h2>
          <ul>
            {props.consequences.map((c) => (
              <li>{c}</li>
            ))}
          </ul>
        </>
      )}
      <form method="post" action={props.action}>
        <CsrfField token={props.csrfToken} />
        {(props.fields ?? []).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="confirm" value="1" />
        <div class="actions">
          <button type="submit" class="button-primary">
            {props.confirmLabel ?? t.views.confirm}
          </button>
          <a href={props.cancelHref} class="button-secondary">
            {t.views.cancel}
          </a>
        </div>
      </form>
    </section>
  );
}
