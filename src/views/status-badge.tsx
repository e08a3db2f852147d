import type { StatusCode } from '../db/schema.ts';
import type { Messages } from '../i18n/index.ts';

/** The badge colour of a status, by what it means for the participant. */
export function statusTone(status: StatusCode): string {
  if (status === 'completed' || status === 'exempted') return 'status-completed';
  if (status === 'failed' || status === 'absent' || status === 'term_expired') return 'status-failed';
  if (status === 'withdrawn_valid' || status === 'withdrawn_invalid') return 'status-withdrawn';
  if (status === 'enrolled' || status === 'started' || status === 'not_started' || status === 'run_choice_required') return 'status-open';
  return 'status-other';
}

/** A study status as a coloured badge; the colour only repeats what the text says. */
export function StatusBadge({ status, t }: { status: StatusCode; t: Messages }) {
  return <span class={`badge ${statusTone(status)}`}>{t.statuses[status]}</span>;
}

