import type { KeysetPage } from '../../db/keyset.ts';
import type { ProgrammeForm } from '../../domain/catalog.ts';
import { formatDate, type Locale, type Messages } from '../../i18n/index.ts';
import type { ProgrammeRow } from '../../repositories/catalog-admin.ts';
import type { findProgrammes } from '../../services/catalog-admin.ts';
import { ErrorSummary, FormField, type FieldErrors } from '../../views/form-field.tsx';
import { CsrfField } from '../../views/layout.tsx';
import { PagedTable, type Column } from '../../views/paged-table.tsx';
import { AdminNav, Flash } from './admin-forms.tsx';

type ProgrammeListRow = Awaited<ReturnType<typeof findProgrammes>>['rows'][number];

function termText(t: Messages, locale: Locale, p: { study_term_days: number | null; study_term_ends_on: string | null }) {
  if (p.study_term_days !== null) return t.catalog.programmes.termDays(p.study_term_days);
  if (p.study_term_ends_on) return t.catalog.programmes.termUntil(formatDate(locale, p.study_term_ends_on));
  return t.catalog.optionalNone;
}

/** **Programma's**: a page of programmes and a way to add one. */
export function ProgrammesPage({ page, t, locale }: { page: KeysetPage<ProgrammeListRow>; t: Messages; locale: Locale }) {
  const tp = t.catalog.programmes;
  const columns: Column<ProgrammeListRow>[] = [
    { header: tp.fields.title, rowHeader: true, cell: (p) => <a href={`/admin/programmes/${encodeURIComponent(p.id)}`}>{p.title}</a> },
    { header: tp.courseCount, numeric: true, cell: (p) => String(p.courses) },
    { header: tp.term, cell: (p) => termText(t, locale, p) },
  ];
  return (
    <>
      <AdminNav t={t} current="programmes" />
      <h1>{t.catalog.programmesTitle}</h1>
      <p>{tp.intro}</p>
      <p>
        <a href="/admin/programmes/new" class="button-primary">
          {tp.add}
        </a>
      </p>
      <PagedTable path="/admin/programmes" filters={{}} caption={tp.caption} columns={columns} page={page} t={t} empty={tp.none} />
    </>
  );
}

function ProgrammeFields({ form, errors, t }: { form: ProgrammeForm; errors: FieldErrors; t: Messages }) {
  const f = t.catalog.programmes.fields;
  return (
    <div class="form-grid">
      <div class="field-wide">
        <FormField name="title" label={f.title} value={form.title} error={errors.title} required maxlength={200} t={t} />
      </div>
      <FormField name="studyTermDays" label={f.studyTermDays} value={form.studyTermDays} error={errors.studyTermDays} hint={t.catalog.courses.hints.studyTerm} inputmode="numeric" maxlength={6} t={t} />
      <FormField name="studyTermEndsOn" type="date" label={f.studyTermEndsOn} value={form.studyTermEndsOn} error={errors.studyTermEndsOn} t={t} />
      <div class="field-wide">
        <FormField kind="textarea" name="courses" label={f.courses} value={form.courses} error={errors.courses} hint={t.catalog.programmes.coursesHint} required rows={6} maxlength={5000} t={t} />
      </div>
    </div>
  );
}

/** A new programme, or one programme with its courses in order and its form. */
export function ProgrammePage(props: { programme?: ProgrammeRow | undefined; form: ProgrammeForm; errors: FieldErrors; flash?: string | undefined; t: Messages; csrfToken: string }) {
  const { programme, t } = props;
  const tp = t.catalog.programmes;
  const action = programme ? `/admin/programmes/${encodeURIComponent(programme.id)}` : '/admin/programmes';
  return (
    <>
      <AdminNav t={t} current="programmes" />
      <p>
        <a href="/admin/programmes">{t.catalog.backToProgrammes}</a>
      </p>
      <h1>{programme ? programme.title : tp.newTitle}</h1>
      <Flash text={props.flash} />
      {programme && programme.courses.length > 0 && (
        <table class="data">
          <caption>{tp.coursesCaption}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                {tp.position}
              </th>
              <th scope="col">{t.catalog.courses.fields.title}</th>
              <th scope="col">{t.catalog.courses.fields.code}</th>
            </tr>
          </thead>
          <tbody>
            {programme.courses.map((c) => (
              <tr>
                <td class="num">{String(c.position)}</td>
                <th scope="row">
                  <a href={`/admin/courses/${encodeURIComponent(c.id)}`}>{c.title}</a>
                </th>
                <td>{c.code}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="panel" aria-labelledby="programme-form">
        <h2 id="programme-form">{programme ? tp.editTitle : tp.newTitle}</h2>
        <ErrorSummary errors={props.errors} labels={{ ...tp.fields }} t={t} />
        <form method="post" action={action} novalidate>
          <CsrfField token={props.csrfToken} />
          <ProgrammeFields form={props.form} errors={props.errors} t={t} />
          <button type="submit" class="button-primary">
            {programme ? tp.save : tp.create}
          </button>
        </form>
      </section>
    </>
  );
}
