import { API_SCOPES } from '../../domain/api-tokens.ts';
import { formatDate, type Locale, type Messages } from '../../i18n/index.ts';
import type { listApiTokens } from '../../services/api-tokens.ts';
import { CheckboxGroupField, ErrorSummary, FormField, type FieldErrors } from '../../views/form-field.tsx';
import { CsrfField } from '../../views/layout.tsx';
import { PagedTable, type Column } from '../../views/paged-table.tsx';
import { AdminNav, Flash } from './admin-forms.tsx';

export interface TokenFormValues {
  name: string;
  scopes: string[];
  expiresOn: string;
  ownerEmail: string;
}

type TokenPage = Awaited<ReturnType<typeof listApiTokens>>;
type TokenRow = TokenPage['rows'][number];

/** The form for a new token, with kept values and each reason beside its field. */
function NewTokenForm({ t, csrfToken, values, errors }: { t: Messages; csrfToken: string; values: TokenFormValues; errors: FieldErrors }) {
  const ta = t.apiTokens;
  return (
    <section class="panel" aria-labelledby="new-token">
      <h2 id="new-token">{ta.newTitle}</h2>
      <ErrorSummary errors={errors} labels={{ name: ta.name, scopes: ta.scopes, expiresOn: ta.expiresOn, ownerEmail: ta.owner }} t={t} />
      <form method="post" action="/admin/api-tokens" novalidate>
        <CsrfField token={csrfToken} />
        <FormField name="name" label={ta.name} hint={ta.nameHint} value={values.name} error={errors.name} required maxlength={100} autocomplete="off" t={t} />
        <CheckboxGroupField
          name="scopes"
          legend={ta.scopes}
          options={API_SCOPES.map((scope) => ({ value: scope, label: ta.scopeLabels[scope], id: `scope-${scope}` }))}
          checked={values.scopes}
          error={errors.scopes}
        />
        <FormField name="expiresOn" type="date" label={ta.expiresOn} value={values.expiresOn} error={errors.expiresOn} required t={t} />
        <FormField name="ownerEmail" type="email" label={ta.owner} hint={ta.ownerHint} value={values.ownerEmail} error={errors.ownerEmail} maxlength={254} autocomplete="off" t={t} />
        <button type="submit" class="button-primary">
          {ta.create}
        </button>
      </form>
    </section>
  );
}

/** The new token, shown this once, in a field the administrator can copy from. */
export function CreatedToken({ t, token }: { t: Messages; token: string }) {
  return (
    <div class="notice" role="status" id="created-token">
      <h2>{t.apiTokens.createdTitle}</h2>
      <label for="created-token-value">{t.apiTokens.createdOnce}</label>
      <input id="created-token-value" type="text" readonly value={token} size={60} />
    </div>
  );
}

/** The tokens, newest first, each with its state and a revoke button while it works. */
function TokenTable({ t, locale, csrfToken, page, now }: { t: Messages; locale: Locale; csrfToken: string; page: TokenPage; now: string }) {
  const ta = t.apiTokens;
  const state = (r: TokenRow) => (r.revoked_at ? ta.revoked : r.expires_at <= now ? ta.expired : ta.active);
  const columns: Column<TokenRow>[] = [
    { header: ta.columns.name, rowHeader: true, cell: (r) => <>{r.name} <code>{r.prefix}…</code></> },
    { header: ta.columns.owner, cell: (r) => r.owner_name },
    { header: ta.columns.scopes, cell: (r) => r.scopes },
    { header: ta.columns.expires, cell: (r) => formatDate(locale, r.expires_at) },
    { header: ta.columns.lastUsed, cell: (r) => (r.last_used_at ? formatDate(locale, r.last_used_at, true) : ta.neverUsed) },
    { header: ta.columns.state, cell: state },
    {
      header: ta.columns.actions,
      cell: (r) =>
        r.revoked_at ? (
          ''
        ) : (
          <form method="post" action={`/admin/api-tokens/${encodeURIComponent(r.id)}/revoke`} class="inline-form">
            <CsrfField token={csrfToken} />
            <button type="submit" class="button-small" aria-label={ta.revokeLabel(r.name)}>
              {ta.revoke}
            </button>
          </form>
        ),
    },
  ];
  return <PagedTable path="/admin/api-tokens" filters={{}} caption={ta.list} columns={columns} page={page} t={t} empty={ta.none} />;
}

/** **API-tokens**: the tokens, a form for a new one, and the new token shown once after it is made. */
export function ApiTokensPage(props: {
  t: Messages;
  locale: Locale;
  csrfToken: string;
  page: TokenPage;
  now: string;
  values: TokenFormValues;
  errors: FieldErrors;
  created?: string | undefined;
  flash?: string | undefined;
}) {
  const { t } = props;
  return (
    <>
      <AdminNav t={t} current="apiTokens" />
      <h1>{t.apiTokens.title}</h1>
      <Flash text={props.flash} />
      <p>
        {t.apiTokens.intro} <a href="/api/reference">{t.apiTokens.reference}</a>
      </p>
      {props.created && <CreatedToken t={t} token={props.created} />}
      <NewTokenForm t={t} csrfToken={props.csrfToken} values={props.values} errors={props.errors} />
      <TokenTable t={t} locale={props.locale} csrfToken={props.csrfToken} page={props.page} now={props.now} />
    </>
  );
}
