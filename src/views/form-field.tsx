import type { Child } from 'hono/jsx';
import type { Messages } from '../i18n/index.ts';

/**
 * Form parts shared by every form: a field with a real label, the value the person entered (kept
 * when the form is refused), and the reason for a refusal beside the field, tied to it with
 * `aria-describedby` so a screen reader reads it with the field. Texts come in already translated.
 */

/** What a refused form says per field: field name → reason, in the reader's language. */
export type FieldErrors = Readonly<Record<string, string | undefined>>;

interface Common {
  /** The form field's name; its id is `field-<name>` unless given. */
  name: string;
  label: string;
  id?: string | undefined;
  error?: string | undefined;
  /** A short help text shown under the label, also read with the field. */
  hint?: string | undefined;
  required?: boolean | undefined;
  /** Mark an optional field as optional (default); a filter or search field is never required. */
  markOptional?: boolean | undefined;
  t: Messages;
}

export interface InputFieldProps extends Common {
  kind?: 'input';
  type?: 'text' | 'number' | 'date' | 'time' | 'email' | 'search' | 'url' | undefined;
  value?: string | undefined;
  maxlength?: number | undefined;
  min?: string | undefined;
  max?: string | undefined;
  step?: string | undefined;
  autocomplete?: string | undefined;
  inputmode?: 'numeric' | 'decimal' | 'email' | 'url' | 'search' | undefined;
}

export interface SelectFieldProps extends Common {
  kind: 'select';
  value?: string | undefined;
  options: readonly { value: string; label: string }[];
}

export interface TextareaFieldProps extends Common {
  kind: 'textarea';
  value?: string | undefined;
  rows?: number | undefined;
  maxlength?: number | undefined;
}

export type FormFieldProps = InputFieldProps | SelectFieldProps | TextareaFieldProps;

/** The id of a field's control, and of its hint and error texts. */
export function fieldIds(name: string, id?: string) {
  const control = id ?? `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return { control, hint: `${control}-hint`, error: `${control}-error` };
}

/**
 * A group of checkboxes under one legend (`name` repeated, one `value` each), the chosen ones kept
 * and, when refused, the reason beside the group.
 */
export function CheckboxGroupField(props: {
  name: string;
  legend: string;
  options: readonly { value: string; label: string; id: string }[];
  checked: readonly string[];
  error?: string | undefined;
}) {
  const ids = fieldIds(props.name);
  return (
    <fieldset class={props.error ? 'field field-invalid' : 'field'} id={ids.control} aria-describedby={props.error ? ids.error : undefined}>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label class="checkbox">
          <input type="checkbox" id={o.id} name={props.name} value={o.value} checked={props.checked.includes(o.value) || undefined} /> {o.label}
        </label>
      ))}
      {props.error && (
        <p class="field-error" id={ids.error}>
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

/** One labelled field with its kept value and, when refused, the reason beside it. */
export function FormField(props: FormFieldProps) {
  const ids = fieldIds(props.name, props.id);
  const describedBy = [props.hint ? ids.hint : '', props.error ? ids.error : ''].filter(Boolean).join(' ') || undefined;
  const shared = {
    id: ids.control,
    name: props.name,
    required: props.required || undefined,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
  };
  let control: Child;
  if (props.kind === 'select') {
    control = (
      <select {...shared}>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === (props.value ?? '') || undefined}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (props.kind === 'textarea') {
    control = (
      <textarea {...shared} rows={props.rows ?? 4} maxlength={props.maxlength}>
        {props.value ?? ''}
      </textarea>
    );
  } else {
    control = (
      <input
        {...shared}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        maxlength={props.maxlength}
        min={props.min}
        max={props.max}
        step={props.step}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
      />
    );
  }
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={ids.control}>
        {props.label}
        {!props.required && props.markOptional !== false && <span class="muted small"> {props.t.views.optional}</span>}
      </label>
      {props.hint && (
        <p class="muted small field-hint" id={ids.hint}>
          {props.hint}
        </p>
      )}
      {control}
      {props.error && (
        <p class="field-error" id={ids.error}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/**
 * The list of reasons at the top of a refused form, each a link to its field, so that a keyboard or
 * screen-reader user learns what to fix and gets there in one step. `labels` names each field.
 */
export function ErrorSummary({
  errors,
  labels,
  t,
  idOf = (name) => fieldIds(name).control,
}: {
  errors: FieldErrors;
  labels: Readonly<Record<string, string>>;
  t: Messages;
  /** The id of a field's control, when the form gives its fields their own ids. */
  idOf?: (name: string) => string;
}) {
  const entries = Object.entries(errors).filter((e): e is [string, string] => !!e[1]);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" id="error-summary" tabindex={-1}>
      <h2>{t.views.errorSummaryTitle}</h2>
      <ul>
        {entries.map(([name, reason]) => (
          <li>
            <a href={`#${idOf(name)}`}>{labels[name] ?? name}</a>: {reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
