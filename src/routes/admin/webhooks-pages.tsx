import { WEBHOOK_EVENTS } from '../../domain/webhooks.ts';
import { formatDate, type Locale, type Messages } from '../../i18n/index.ts';
import type { listWebhookDeliveries, listWebhooks } from '../../services/webhooks.ts';
import { CheckboxGroupField, ErrorSummary, FormField, type FieldErrors } from '../../views/form-field.tsx';
import { CsrfField } from '../../views/layout.tsx';
import { PagedTable, type Column } from '../../views/paged-table.tsx';
import { AdminNav, Flash } from './admin-forms.tsx';

export const WEBHOOKS_PATH = '/admin/webhooks';

export interface WebhookFormValues {
  url: string;
  events: string[];
}

type WebhookPage = Awaited<ReturnType<typeof listWebhooks>>;
type WebhookRow = WebhookPage['rows'][number];
type DeliveryLog = Awaited<ReturnType<typeof listWebhookDeliveries>>;
type DeliveryRow = DeliveryLog['page']['rows'][number];

const eventLabel = (t: Messages, event: string) => (t.webhooks.eventLabels as Record<string, string>)[event] ?? event;

function NewWebhookForm({ t, csrfToken, values, errors }: { t: Messages; csrfToken: string; values: WebhookFormValues; errors: FieldErrors }) {
  const tw = t.webhooks;
  return (
    <section class="panel" aria-labelledby="new-webhook">
      <h2 id="new-webhook">{tw.newTitle}</h2>
      <ErrorSummary errors={errors} labels={{ url: tw.url, events: tw.events }} t={t} />
      <form method="post" action={WEBHOOKS_PATH} novalidate>
        <CsrfField token={csrfToken} />
        <FormField name="url" type="url" label={tw.url} hint={tw.urlHint} value={values.url} error={errors.url} required maxlength={2000} autocomplete="off" t={t} />
        <CheckboxGroupField
          name="events"
          legend={tw.events}
          options={WEBHOOK_EVENTS.map((event) => ({ value: event, label: eventLabel(t, event), id: `event-${event.replace('.', '-')}` }))}
          checked={values.events}
          error={errors.events}
        />
        <button type="submit" class="button-primary">
          {tw.create}
        </button>
      </form>
    </section>
  );
}

/** The new webhook's secret, shown this once, in a field the administrator can copy from. */
function CreatedSecret({ t, secret }: { t: Messages; secret: string }) {
  return (
    <div class="notice" role="status" id="created-secret">
      <h2>{t.webhooks.createdTitle}</h2>
      <label for="created-secret-value">{t.webhooks.createdOnce}</label>
      <input id="created-secret-value" type="text" readonly value={secret} size={60} />
    </div>
  );
}

function WebhookTable({ t, locale, csrfToken, page }: { t: Messages; locale: Locale; csrfToken: string; page: WebhookPage }) {
  const tw = t.webhooks;
  const base = (r: WebhookRow) => `${WEBHOOKS_PATH}/${encodeURIComponent(r.id)}`;
  const columns: Column<WebhookRow>[] = [
    { header: tw.columns.url, rowHeader: true, cell: (r) => <code>{r.url}</code> },
    { header: tw.columns.events, cell: (r) => r.events.join(', ') },
    { header: tw.columns.created, cell: (r) => formatDate(locale, r.created_at, true) },
    { header: tw.columns.state, cell: (r) => (r.deactivated_at ? tw.inactive : tw.active) },
    {
      header: tw.columns.actions,
      cell: (r) => (
        <>
          <a href={base(r)} aria-label={tw.logLabel(r.url)}>
            {tw.log}
          </a>{' '}
          {!r.deactivated_at && (
            <form method="post" action={`${base(r)}/deactivate`} class="inline-form">
              <CsrfField token={csrfToken} />
              <button type="submit" class="button-small" aria-label={tw.deactivateLabel(r.url)}>
                {tw.deactivate}
              </button>
            </form>
          )}{' '}
          <form method="post" action={`${base(r)}/delete`} class="inline-form">
            <CsrfField token={csrfToken} />
            <button type="submit" class="button-small" aria-label={tw.removeLabel(r.url)}>
              {tw.remove}
            </button>
          </form>
        </>
      ),
    },
  ];
  return <PagedTable path={WEBHOOKS_PATH} filters={{}} caption={tw.list} columns={columns} page={page} t={t} empty={tw.none} />;
}

/** **Webhooks**: the subscriptions, a form for a new one, and its secret shown once after it is made. */
export function WebhooksPage(props: { t: Messages; locale: Locale; csrfToken: string; page: WebhookPage; values: WebhookFormValues; errors: FieldErrors; created?: string | undefined; flash?: string | undefined }) {
  const { t } = props;
  return (
    <>
      <AdminNav t={t} current="webhooks" />
      <h1>{t.webhooks.title}</h1>
      <Flash text={props.flash} />
      <p>
        {t.webhooks.intro} {t.webhooks.docs}
      </p>
      {props.created && <CreatedSecret t={t} secret={props.created} />}
      <NewWebhookForm t={t} csrfToken={props.csrfToken} values={props.values} errors={props.errors} />
      <WebhookTable t={t} locale={props.locale} csrfToken={props.csrfToken} page={props.page} />
    </>
  );
}

/** A webhook's delivery log: each delivery's event, time, attempts, last answer (status or error) and state. */
export function WebhookLogPage({ t, locale, log }: { t: Messages; locale: Locale; log: DeliveryLog }) {
  const tw = t.webhooks;
  const result = (r: DeliveryRow) => {
    if (r.last_status !== null && r.last_status !== undefined) return r.last_error ? `${r.last_status} (${r.last_error})` : String(r.last_status);
    return r.last_error ?? '';
  };
  const state = (r: DeliveryRow) => {
    const label = tw.deliveryStates[r.state];
    return r.state === 'pending' && r.attempts > 0 ? `${label}, ${tw.nextAttempt(formatDate(locale, r.next_attempt_at, true))}` : label;
  };
  const columns: Column<DeliveryRow>[] = [
    { header: tw.logColumns.event, rowHeader: true, cell: (r) => <code>{r.kind}</code> },
    { header: tw.logColumns.time, cell: (r) => formatDate(locale, r.created_at, true) },
    { header: tw.logColumns.attempts, cell: (r) => String(r.attempts) },
    { header: tw.logColumns.result, cell: result },
    { header: tw.logColumns.state, cell: state },
  ];
  const path = `${WEBHOOKS_PATH}/${encodeURIComponent(log.webhook.id)}`;
  return (
    <>
      <AdminNav t={t} current="webhooks" />
      <h1>{tw.logTitle}</h1>
      <p>
        <code>{log.webhook.url}</code> ({log.webhook.deactivated_at ? tw.inactive : tw.active}): {log.webhook.events.join(', ')}
      </p>
      <PagedTable path={path} filters={{}} caption={tw.logCaption} columns={columns} page={log.page} t={t} empty={tw.logNone} />
      <p>
        <a href={WEBHOOKS_PATH}>{tw.back}</a>
      </p>
    </>
  );
}
