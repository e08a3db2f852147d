import type { StatusCode } from '../../db/schema.ts';
import { formatDate, formatPoints, type Locale, type Messages } from '../../i18n/index.ts';
import type { AttendanceCell, ParticipantRow } from '../../services/teacher-runs.ts';
import { statusTone } from '../../views/status-badge.tsx';
import type { EnteredRow } from './teacher.schema.ts';
import { raw } from 'hono/html';

/*
 * The rows of the participants table, written as HTML text rather than JSX. A run can have hundreds
 * of participants, each row some fifty elements: built as JSX nodes and then serialised, the rows
 * cost three quarters of the page's server time and most of its garbage (bench A and B in
 * docs/performance.md). The markup is exactly what the JSX gave; every value is escaped as JSX
 * escapes it.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' };
/** The five characters hono escapes; a character beyond Latin-1 (a surrogate pair as one). */
const SPECIAL = /[&<>'"]|[\ud800-\udbff][\udc00-\udfff]|[\u0100-\uffff]/g;
const HAS_SPECIAL = /[&<>'"\u0100-\uffff]/;

/**
 * Escapes text and attribute values as hono/jsx does, and writes every character beyond Latin-1
 * (U+0100 and up: ✓, –, Ł, emoji) as a numeric character reference, which the browser shows as
 * the character itself. V8 stores a string with even one such character at two bytes per character,
 * and the page joined from it too; counting and encoding the 1.5 MB page of 500 participants for the
 * answer then took about 3 ms more (A http, docs/performance.md).
 */
export function escapeHtml(value: string): string {
  // Most values need nothing: looking is cheaper than replacing.
  return HAS_SPECIAL.test(value) ? value.replace(SPECIAL, (c) => ESCAPES[c] ?? `&#${c.codePointAt(0)};`) : value;
}

/** `escapeHtml` for an `html` template: the value escaped here, not again by the template. */
export const escaped = (value: string) => raw(escapeHtml(value));

const EFFORTS = ['excellent', 'good', 'sufficient', 'insufficient'] as const;

/** The symbols of the attendance so far (✓ ✗ ○ ·), written as escapeHtml writes them. */
const CELL_SYMBOL: Record<NonNullable<AttendanceCell> | 'none', string> = {
  present: escapeHtml('✓'),
  absent: escapeHtml('✗'),
  reported_absent: escapeHtml('○'),
  none: escapeHtml('·'),
};

/**
 * The parts of a row that depend only on the language (and the offered statuses), escaped once per
 * dictionary instead of once per row: labels, badges, the option lists with nothing selected, and
 * the attendance-so-far text of each pattern of attendance seen. Dictionaries never change.
 */
interface RowTexts {
  badges: Map<StatusCode, string>;
  statusOptions: Map<string, string>;
  effortOptions: string;
  attendance: Map<string, string>;
  noChange: string;
  proof: string;
  proofRecorded: string;
  effortNone: string;
  effortComment: string;
}

const rowTexts = new WeakMap<Messages, RowTexts>();

function textsOf(t: Messages): RowTexts {
  let texts = rowTexts.get(t);
  if (!texts) {
    texts = {
      badges: new Map(),
      statusOptions: new Map(),
      effortOptions: effortOptions(t, ''),
      attendance: new Map(),
      noChange: escapeHtml(t.teacher.noChange),
      proof: escapeHtml(t.teacher.proof),
      proofRecorded: escapeHtml(t.teacher.proofRecorded),
      effortNone: escapeHtml(t.teacher.effortNone),
      effortComment: escapeHtml(t.teacher.effortComment),
    };
    rowTexts.set(t, texts);
  }
  return texts;
}

function badge(status: StatusCode, t: Messages): string {
  const badges = textsOf(t).badges;
  let text = badges.get(status);
  if (text === undefined) {
    text = `<span class="badge ${statusTone(status)}">${escapeHtml(t.statuses[status])}</span>`;
    badges.set(status, text);
  }
  return text;
}

function statusOptions(statuses: readonly StatusCode[], t: Messages, selected: string | undefined): string {
  let out = '';
  for (const s of statuses) out += `<option value="${s}"${flag('selected', selected === s)}>${escapeHtml(t.statuses[s])}</option>`;
  return out;
}

function effortOptions(t: Messages, selected: string): string {
  let out = '';
  for (const x of EFFORTS) out += `<option value="${x}"${flag('selected', selected === x)}>${escapeHtml(t.efforts[x])}</option>`;
  return out;
}

/** The patterns of attendance remembered per dictionary; a run has few, the bound is for safety. */
const MAX_ATTENDANCE_PATTERNS = 2000;

function attendanceSoFar(cells: AttendanceCell[], t: Messages): string {
  const known = textsOf(t).attendance;
  const key = cells.join(',');
  let out = known.get(key);
  if (out === undefined) {
    const label = (c: AttendanceCell) =>
      c === 'present' ? t.teacher.attended : c === 'absent' ? t.teacher.notAttended : c === 'reported_absent' ? t.teacher.reportedAbsent : t.teacher.notRecorded;
    const text = escapeHtml(cells.map((c, i) => `${i + 1}: ${label(c)}`).join(', '));
    const symbols = cells.map((c) => CELL_SYMBOL[c ?? 'none']).join(' ');
    out = `<span class="attendance-cells" title="${text}"><span aria-hidden="true">${symbols}</span><span class="visually-hidden">${text}</span></span>`;
    if (known.size >= MAX_ATTENDANCE_PATTERNS) known.clear();
    known.set(key, out);
  }
  return out;
}

const attribute = (name: string, value: string | undefined) => (value === undefined ? '' : ` ${name}="${escapeHtml(value)}"`);
const flag = (name: string, on: boolean) => (on ? ` ${name}=""` : '');

export interface ActiveRowProps {
  row: ParticipantRow;
  entered: EnteredRow | undefined;
  errors: string[] | undefined;
  statuses: readonly StatusCode[];
  t: Messages;
  locale: Locale;
  /** Today's Brussels date: the default and latest withdrawal date (R4). */
  today: string;
}

/** The hidden fields that tie a row to the page it came from (R11): its version and what it showed. */
function rowIdentity(id: string, row: ParticipantRow, entered: EnteredRow | undefined, form = ''): string {
  let out = `<input type="hidden" name="row" value="${id}"${form}/><input type="hidden" name="version.${id}" value="${row.version}"${form}/>`;
  out += `<input type="hidden" name="seen.${id}" value="${escapeHtml(entered?.seen || row.seen)}"${form}/>`;
  return out;
}

/** One participant who takes part: what is recorded, and the inputs Aanwezig, Studiestatus aanpassen and Inzet. */
export function ActiveRow(props: ActiveRowProps) {
  return raw(activeRowHtml(props));
}

/** The HTML of `ActiveRow`, for writing many rows as one text. */
export function activeRowHtml(props: ActiveRowProps): string {
  const { row, t, locale, errors } = props;
  const texts = textsOf(t);
  const e = props.entered;
  const id = escapeHtml(row.enrolmentId);
  const name = row.name;
  const effort = e ? e.effort : (row.effort ?? '');
  const comment = e ? e.comment : (row.effortComment ?? '');
  const errorId = errors ? `row-error-${row.enrolmentId}` : undefined;
  const describedBy = attribute('aria-describedby', errorId);

  let out = `<tr${attribute('class', errors ? 'row-error' : undefined)} id="row-${id}"><th scope="row" data-name="true">`;
  out += rowIdentity(id, row, e);
  if (e?.proofFileKey) out += `<input type="hidden" name="proofFileKey.${id}" value="${escapeHtml(e.proofFileKey)}"/>`;
  out += escapeHtml(name);
  if (errors) out += `<ul class="cell-error" id="${escapeHtml(errorId!)}">${errors.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>`;
  out += `</th><td>${badge(row.status, t)}`;
  if (row.certificateNumber) out += `<div class="muted small">${escapeHtml(t.teacher.certificate(row.certificateNumber))}</div>`;
  if (row.withdrawnOn) out += `<div class="muted small">${escapeHtml(t.teacher.withdrawnOn(formatDate(locale, row.withdrawnOn)))}</div>`;
  if (row.proposedStatus) out += `<div class="small">${escapeHtml(t.teacher.proposal(t.statuses[row.proposedStatus]))}</div>`;
  out += `</td><td>${attendanceSoFar(row.attendance, t)}${absenceReportsHtml(row, t)}</td>`;
  out += `<td class="num">${row.rate === null ? escapeHtml('–') : `${Math.round(row.rate * 100)}%`}</td>`;
  out += `<td class="num">${escapeHtml(formatPoints(locale, row.points))}</td>`;
  out += `<td class="center"><input type="checkbox" name="present.${id}" value="1" data-group="present"${flag('checked', e?.present ?? false)} aria-label="${escapeHtml(t.teacher.presentFor(name))}"${describedBy}/></td>`;
  out += `<td><select name="status.${id}" aria-label="${escapeHtml(t.teacher.changeStatusFor(name))}"${describedBy}><option value="">${texts.noChange}</option>`;
  if (e?.status) {
    out += statusOptions(props.statuses, t, e.status);
  } else {
    const key = props.statuses.join(',');
    let options = texts.statusOptions.get(key);
    if (options === undefined) texts.statusOptions.set(key, (options = statusOptions(props.statuses, t, undefined)));
    out += options;
  }
  out += `</select><details class="proof"${flag('open', !!(e?.proofNote || e?.proofFileKey) || errors !== undefined)}><summary>${escapeHtml(t.teacher.withdrawal)}</summary>`;
  out += withdrawalDateInput(id, name, e?.withdrawnOn || row.withdrawnOn || props.today, t);
  if (row.hasProof) out += `<p class="small">${texts.proofRecorded}</p>`;
  out += `<label class="small" for="proofNote-${id}">${escapeHtml(t.teacher.proofNoteFor(name))}</label>`;
  out += `<input type="text" id="proofNote-${id}" name="proofNote.${id}" value="${escapeHtml(e?.proofNote ?? '')}" maxlength="1000"/>`;
  out += `<label class="small" for="proofFile-${id}">${escapeHtml(t.teacher.proofFileFor(name))}</label>`;
  out += `<input type="file" id="proofFile-${id}" name="proofFile.${id}" accept="application/pdf,image/png,image/jpeg"/></details></td>`;
  out += `<td><select name="effort.${id}" aria-label="${escapeHtml(t.teacher.effortFor(name))}"><option value="">${texts.effortNone}</option>`;
  out += effort === '' ? texts.effortOptions : effortOptions(t, effort);
  out += `</select><input type="text" name="comment.${id}" value="${escapeHtml(comment)}" maxlength="1000" aria-label="${escapeHtml(t.teacher.effortCommentFor(name))}" placeholder="${texts.effortComment}"/></td></tr>`;
  return out;
}

/**
 * The withdrawal date (R4). No min or max in the markup: the input sits in a closed disclosure on
 * every row, and a browser refusing an odd stored date there would block the whole form without
 * showing why; the service refuses a date in the future or before the enrolment, beside the row.
 */
function withdrawalDateInput(id: string, name: string, value: string, t: Messages, form = ''): string {
  return `<label class="small" for="withdrawnOn-${id}">${escapeHtml(t.teacher.withdrawalDateFor(name))}</label><input type="date" id="withdrawnOn-${id}" name="withdrawnOn.${id}" value="${escapeHtml(value)}"${form}/>`;
}

export interface InactiveRowProps {
  row: ParticipantRow;
  t: Messages;
  locale: Locale;
  entered?: EnteredRow | undefined;
  errors?: string[] | undefined;
  today: string;
  /** The id of the participants form: a correction's inputs belong to it from outside it. */
  formId: string;
}

/** The absences a participant reported in advance, with their reasons (most rows have none). */
function absenceReportsHtml(row: ParticipantRow, t: Messages): string {
  if (!row.absenceReports?.length) return '';
  return row.absenceReports
    .map((r) => `<div class="small absence-report">${escapeHtml(t.participantActions.teacherReported(r.meeting, r.reason))}</div>`)
    .join('');
}

/** One participant who no longer takes part: name, status, attendance and points, and "Corrigeren" for who may (R1). */
export function InactiveRow(props: InactiveRowProps) {
  return raw(inactiveRowHtml(props));
}

/** The HTML of `InactiveRow`, for writing many rows as one text. */
export function inactiveRowHtml({ row, t, locale, entered, errors, today, formId }: InactiveRowProps): string {
  const id = escapeHtml(row.enrolmentId);
  const errorId = errors ? `row-error-${row.enrolmentId}` : undefined;
  let out = `<tr class="row-inactive${errors ? ' row-error' : ''}" id="row-${id}"><th scope="row">${escapeHtml(row.name)}`;
  if (errors) out += `<ul class="cell-error" id="${escapeHtml(errorId!)}">${errors.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>`;
  out += `</th><td>${badge(row.status, t)}`;
  if (row.withdrawnOn) out += `<div class="small">${escapeHtml(t.teacher.withdrawnOn(formatDate(locale, row.withdrawnOn)))}</div>`;
  out += `</td><td>${attendanceSoFar(row.attendance, t)}</td><td class="num">${escapeHtml(formatPoints(locale, row.points))}</td><td>`;
  if (row.correction) out += correctionHtml(row, row.correction, id, { t, entered, errors: errorId, today, form: ` form="${escapeHtml(formId)}"` });
  out += `</td></tr>`;
  return out;
}

/**
 * The "Corrigeren" control of a status no longer active: a new status (the one it replaced first),
 * the withdrawal date and proof for a withdrawn status, and the reason an administrator must give.
 * Its inputs belong to the participants form (`form=`), so one Doorgaan saves everything.
 */
function correctionHtml(
  row: ParticipantRow,
  correction: NonNullable<ParticipantRow['correction']>,
  id: string,
  o: { t: Messages; entered: EnteredRow | undefined; errors: string | undefined; today: string; form: string },
): string {
  const { t, entered, form } = o;
  const name = row.name;
  const describedBy = attribute('aria-describedby', o.errors);
  let out = `<details class="correct"${flag('open', entered !== undefined && (entered.status !== '' || o.errors !== undefined))}><summary>${escapeHtml(t.teacher.correct)}</summary>`;
  out += rowIdentity(id, row, entered, form);
  // The effort is carried as it is: a correction changes the status only.
  out += `<input type="hidden" name="effort.${id}" value="${escapeHtml(row.effort ?? '')}"${form}/><input type="hidden" name="comment.${id}" value="${escapeHtml(row.effortComment ?? '')}"${form}/>`;
  out += `<label class="small" for="status-${id}">${escapeHtml(t.teacher.correctStatusFor(name))}</label>`;
  out += `<select id="status-${id}" name="status.${id}"${form}${describedBy}><option value="">${escapeHtml(t.teacher.noChange)}</option>`;
  for (const s of correction.targets) {
    const label = s === correction.previous ? t.teacher.restoreStatus(t.statuses[s]) : t.statuses[s];
    out += `<option value="${s}"${flag('selected', entered?.status === s)}>${escapeHtml(label)}</option>`;
  }
  out += `</select>`;
  out += withdrawalDateInput(id, name, entered?.withdrawnOn || row.withdrawnOn || o.today, t, form);
  out += `<label class="small" for="proofNote-${id}">${escapeHtml(t.teacher.proofNoteFor(name))}</label>`;
  out += `<input type="text" id="proofNote-${id}" name="proofNote.${id}" value="${escapeHtml(entered?.proofNote ?? '')}" maxlength="1000"${form}/>`;
  if (correction.needsReason) {
    out += `<label class="small" for="reason-${id}">${escapeHtml(t.teacher.correctReasonFor(name))}</label>`;
    out += `<input type="text" id="reason-${id}" name="reason.${id}" value="${escapeHtml(entered?.reason ?? '')}" maxlength="1000"${form}${describedBy}/>`;
  }
  return `${out}</details>`;
}
