import type { Branding, BrandingField } from '../../domain/branding.ts';
import type { Messages } from '../../i18n/index.ts';
import { ErrorSummary, FormField, type FieldErrors } from '../../views/form-field.tsx';
import { CsrfField } from '../../views/layout.tsx';
import { AdminNav, Flash } from './admin-forms.tsx';

/** The form's text values as entered (kept when the form is refused). */
export interface BrandingFormValues {
  name: string;
  signatoryName: string;
  signatoryTitle: string;
}

export function brandingFormValues(b: Branding): BrandingFormValues {
  return { name: b.name ?? '', signatoryName: b.signatoryName ?? '', signatoryTitle: b.signatoryTitle ?? '' };
}

/** The current logo, shown as the documents will carry it. */
function CurrentLogo({ branding, logoUrl, t }: { branding: Branding; logoUrl: string | undefined; t: Messages }) {
  const tb = t.branding;
  if (!logoUrl) return <p class="muted">{tb.noLogo}</p>;
  return (
    <figure class="logo-preview">
      <img src={logoUrl} alt={tb.logoAlt(branding.name ?? t.product)} height="48" />
      <figcaption class="muted small">{tb.currentLogo}</figcaption>
    </figure>
  );
}

/** The logo's file field, its current value and the box that removes it. */
function LogoField({ branding, logoUrl, error, removeLogo, t }: { branding: Branding; logoUrl: string | undefined; error: string | undefined; removeLogo: boolean; t: Messages }) {
  const tb = t.branding;
  const describedBy = ['field-logo-hint', error ? 'field-logo-error' : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <CurrentLogo branding={branding} logoUrl={logoUrl} t={t} />
      <label for="field-logo">
        {tb.fields.logo}
        <span class="muted small"> {t.views.optional}</span>
      </label>
      <p class="muted small field-hint" id="field-logo-hint">
        {tb.logoHint}
      </p>
      <input type="file" id="field-logo" name="logo" accept="image/png,image/svg+xml,.png,.svg" aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} />
      {error && (
        <p class="field-error" id="field-logo-error">
          {error}
        </p>
      )}
      {logoUrl && (
        <p>
          <input type="checkbox" id="field-removeLogo" name="removeLogo" value="1" checked={removeLogo || undefined} /> <label for="field-removeLogo">{tb.removeLogo}</label>
        </p>
      )}
    </div>
  );
}

/**
 * **Huisstijl van de organisatie**: the name, signatory and logo on the organisation's documents,
 * with the values entered and each refusal beside its field when a save is refused.
 */
export function BrandingPage(props: {
  branding: Branding;
  values: BrandingFormValues;
  removeLogo: boolean;
  errors: FieldErrors;
  logoUrl: string | undefined;
  flash: string | undefined;
  t: Messages;
  csrfToken: string;
}) {
  const { t, values, errors } = props;
  const tb = t.branding;
  const labels: Record<BrandingField, string> = { ...tb.fields };
  return (
    <>
      <AdminNav t={t} current="branding" />
      <h1>{tb.title}</h1>
      <Flash text={props.flash} />
      <p>{tb.intro}</p>
      <ErrorSummary errors={errors} labels={labels} t={t} />
      <form method="post" action="/admin/branding" enctype="multipart/form-data" novalidate>
        <CsrfField token={props.csrfToken} />
        <FormField name="name" label={tb.fields.name} value={values.name} error={errors.name} maxlength={200} t={t} />
        <FormField name="signatoryName" label={tb.fields.signatoryName} value={values.signatoryName} error={errors.signatoryName} maxlength={200} t={t} />
        <FormField name="signatoryTitle" label={tb.fields.signatoryTitle} value={values.signatoryTitle} error={errors.signatoryTitle} maxlength={200} t={t} />
        <LogoField branding={props.branding} logoUrl={props.logoUrl} error={errors.logo} removeLogo={props.removeLogo} t={t} />
        <button type="submit" class="button-primary">
          {tb.save}
        </button>
      </form>
    </>
  );
}
