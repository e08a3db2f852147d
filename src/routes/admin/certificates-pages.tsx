import type { Locale, Messages } from '../../i18n/index.ts';
import { formatDate } from '../../i18n/index.ts';
import type { CertificateFilter, RevocableCertificate } from '../../services/certificate-revocation.ts';
import type { KeysetPage } from '../../db/keyset.ts';
import { ConfirmScreen } from '../../views/confirm-screen.tsx';
import { FormField, type FieldErrors } from '../../views/form-field.tsx';
import { CsrfField } from '../../views/layout.tsx';
import { FilterForm, PagedTable, type Column } from '../../views/paged-table.tsx';
import { AdminNav, Flash } from './admin-forms.tsx';

export const CERTIFICATES_PATH = '/admin/certificates';
export const REVOKE_PATH = '/admin/certificates/revoke';
const FORM_ID = 'revoke-form';

/** What the revocation form holds, as entered (kept when it is refused). */
export interface RevocationForm {
  scope: 'picked' | 'all';
  picked: readonly string[];
  reason: string;
}

/** The filter in the query string's words. */
export function filterFields(filter: CertificateFilter): Record<string, string | undefined> {
  return { course: filter.courseId, run: filter.run, q: filter.q };
}

function Filters({ filter, courses, t }: { filter: CertificateFilter; courses: readonly { id: string; title: string; version: number }[]; t: Messages }) {
  const tb = t.bulkRevocation;
  const options = [{ value: '', label: tb.anyCourse }, ...courses.map((c) => ({ value: c.id, label: `${c.title} (v${c.version})` }))];
  return (
    <FilterForm path={CERTIFICATES_PATH} t={t}>
      <FormField kind="select" name="course" label={tb.course} value={filter.courseId ?? ''} options={options} markOptional={false} t={t} />
      <FormField name="run" label={tb.run} value={filter.run ?? ''} maxlength={100} markOptional={false} t={t} />
      <FormField name="q" type="search" label={tb.search} value={filter.q ?? ''} maxlength={200} markOptional={false} t={t} />
    </FilterForm>
  );
}

function columns(t: Messages, locale: Locale, picked: ReadonlySet<string>): Column<RevocableCertificate>[] {
  const tb = t.bulkRevocation;
  return [
    {
      header: tb.select,
      cell: (r) => <input type="checkbox" name="certificate" value={r.id} form={FORM_ID} checked={picked.has(r.id) || undefined} aria-label={tb.selectOne(r.number, r.holder_name)} />,
    },
    { header: tb.number, cell: (r) => r.number, rowHeader: true },
    { header: tb.holder, cell: (r) => <bdi>{r.holder_name}</bdi> },
    { header: tb.course, cell: (r) => <bdi>{r.course_title}</bdi> },
    { header: tb.runCode, cell: (r) => r.run_code ?? '' },
    { header: tb.issued, cell: (r) => formatDate(locale, r.issued_at) },
  ];
}

function RevocationFields({ form, total, filter, errors, csrfToken, t }: { form: RevocationForm; total: number; filter: CertificateFilter; errors: FieldErrors; csrfToken: string; t: Messages }) {
  const tb = t.bulkRevocation;
  return (
    <form method="post" action={REVOKE_PATH} id={FORM_ID} class="stacked">
      <CsrfField token={csrfToken} />
      {Object.entries(filterFields(filter)).map(([name, value]) => (value ? <input type="hidden" name={name} value={value} /> : null))}
      <fieldset aria-describedby={errors.certificate ? 'field-certificate-error' : undefined}>
        <legend>{tb.selectionLegend}</legend>
        {errors.certificate && (
          <p class="field-error" id="field-certificate-error">
            {errors.certificate}
          </p>
        )}
        <div class="choice">
          <input type="radio" id="scope-picked" name="scope" value="picked" checked={form.scope === 'picked' || undefined} />
          <label for="scope-picked">{tb.selectionPicked}</label>
        </div>
        <div class="choice">
          <input type="radio" id="scope-all" name="scope" value="all" checked={form.scope === 'all' || undefined} />
          <label for="scope-all">{tb.selectionAll(String(total))}</label>
        </div>
      </fieldset>
      <FormField kind="textarea" name="reason" label={tb.reason} hint={tb.reasonHint} value={form.reason} error={errors.reason} required maxlength={500} rows={3} t={t} />
      <div class="actions">
        <button type="submit" class="button-primary">
          {tb.submit}
        </button>
      </div>
    </form>
  );
}

/** **Certificaten**: valid certificates by filter, each to tick, and the form to revoke the ticked ones or all that match. */
export function CertificatesPage(props: {
  found: { page: KeysetPage<RevocableCertificate>; total: number; courses: readonly { id: string; title: string; version: number }[] };
  filter: CertificateFilter;
  form: RevocationForm;
  errors: FieldErrors;
  flash?: string | undefined;
  csrfToken: string;
  t: Messages;
  locale: Locale;
}) {
  const { t, found, filter, form } = props;
  const tb = t.bulkRevocation;
  return (
    <>
      <AdminNav t={t} current="certificates" />
      <h1>{tb.title}</h1>
      <Flash text={props.flash} />
      {(props.errors.reason || props.errors.certificate) && (
        <p class="error-summary" role="alert">
          {tb.refusedTitle}: {[props.errors.certificate, props.errors.reason].filter(Boolean).join(' ')}
        </p>
      )}
      <p>{tb.intro}</p>
      <Filters filter={filter} courses={found.courses} t={t} />
      <PagedTable
        path={CERTIFICATES_PATH}
        filters={filterFields(filter)}
        caption={tb.caption(String(found.total))}
        columns={columns(t, props.locale, new Set(form.picked))}
        page={found.page}
        t={t}
        empty={tb.none}
      />
      {found.total > 0 && <RevocationFields form={form} total={found.total} filter={filter} errors={props.errors} csrfToken={props.csrfToken} t={t} />}
    </>
  );
}

/** The second screen: how many certificates, which, the reason, and what follows. */
export function ConfirmRevocation(props: { numbers: readonly string[]; reason: string; fields: readonly (readonly [string, string])[]; cancelHref: string; csrfToken: string; t: Messages }) {
  const tb = props.t.bulkRevocation;
  const shown = props.numbers.slice(0, 20).join(', ');
  const rest = props.numbers.length - 20;
  return (
    <>
      <AdminNav t={props.t} current="certificates" />
      <ConfirmScreen
        title={tb.confirmTitle(String(props.numbers.length))}
        intro={tb.confirmIntro(props.reason)}
        consequences={[tb.consequenceVerify, tb.consequenceMail, tb.consequenceList(rest > 0 ? `${shown} ${tb.more(String(rest))}` : shown)]}
        action={REVOKE_PATH}
        fields={props.fields}
        confirmLabel={tb.confirm}
        cancelHref={props.cancelHref}
        csrfToken={props.csrfToken}
        t={props.t}
      />
    </>
  );
}
