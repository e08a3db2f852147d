import { html, raw } from 'hono/html';
import type { StatusCode } from '../../db/schema.ts';
import { TEACHER_STATUSES } from '../../domain/study-status.ts';
import { formatDate, formatPoints, formatTime, type Locale, type Messages } from '../../i18n/index.ts';
import type { ParticipantsView } from '../../services/teacher-runs.ts';
import { CSRF_FIELD } from '../../web/csrf.ts';
import { activeRowHtml, escaped, inactiveRowHtml } from './participant-rows.ts';
import type { EnteredForm } from './teacher.schema.ts';

export interface Banner {
  tone: 'success' | 'error';
  title: string;
  lines: string[];
}

export interface ParticipantsPageProps {
  view: ParticipantsView;
  t: Messages;
  locale: Locale;
  csrfToken: string;
  isAdmin: boolean;
  entered?: EnteredForm | undefined;
  rowErrors?: ReadonlyMap<string, string[]> | undefined;
  formErrors?: readonly string[] | undefined;
  banner?: Banner | undefined;
}

/** The participants form's id: the inputs of a correction, in the table below it, belong to it. */
const FORM_ID = 'participants-form';

const ADMIN_EXTRA: readonly StatusCode[] = ['archived', 'exempted'];

/** ` name=""` when `on`: how JSX writes a true boolean attribute (and nothing for false). */
const flag = (name: string, on: boolean) => (on ? raw(` ${name}=""`) : '');

/**
 * The participants page of one run: what is recorded so far, and the guide's inputs (Aanwezig,
 * Studiestatus aanpassen, Inzet, the meeting choice and Doorgaan) in one form.
 *
 * Written with `html` templates rather than JSX: it is the page teachers open most (bench B), and
 * hono/jsx made a node of each of its sixty-odd elements on every request, which cost more than its
 * twenty-five rows. The templates escape every value as JSX does; the markup is exactly what the JSX
 * gave.
 */
export function ParticipantsPage(props: ParticipantsPageProps) {
  const { view, t, locale, entered } = props;
  const statuses = props.isAdmin ? [...TEACHER_STATUSES, ...ADMIN_EXTRA] : TEACHER_STATUSES;
  const chosen = new Set(entered?.meetingIds ?? []);
  const teachers = view.teachers.join(', ');
  const banner = props.banner;
  const rows = view.active
    .map((row) => activeRowHtml({ row, entered: entered?.rows.get(row.enrolmentId), errors: props.rowErrors?.get(row.enrolmentId), statuses, t, locale, today: view.today }))
    .join('');
  const meetings = view.meetings.map(
    (m) =>
      html`<li><input type="checkbox" id="meeting-${m.id}" name="meeting" value="${m.id}" data-meeting="true"${flag('data-started', m.held)}${flag('checked', chosen.has(m.id))}/><label for="meeting-${m.id}">${escaped(
        t.teacher.meetingLabel(formatDate(locale, m.starts_at), formatTime(locale, m.starts_at), formatTime(locale, m.ends_at), m.place, formatPoints(locale, m.study_points)),
      )}</label></li>`,
  );
  // An administrator came from the run overview (and may teach nothing): back to the run's own page.
  const back = props.isAdmin
    ? html`<a href="/admin/runs/${view.run.id}">${t.catalog.backToRun}</a>`
    : html`<a href="/teacher/runs">${t.teacher.backToRuns}</a>`;
  const facts = `${t.teacher.runFacts(view.run.code, view.run.place, teachers)} · ${formatDate(locale, view.run.starts_on)} – ${formatDate(locale, view.run.ends_on)}`;
  const heading = html`<p>${back}</p><h1>${escaped(t.teacher.runTitle(view.run.course_title))}</h1><p class="muted">${escaped(facts)}</p>`;
  const cancelled =
    view.run.cancelled_at && html`<p class="warning" role="note" id="run-cancelled"><strong>${t.teacher.cancelled}</strong>: <bdi>${escaped(view.run.cancel_reason ?? '')}</bdi></p>`;
  const bannerPart =
    banner &&
    html`<div class="${banner.tone === 'success' ? 'notice' : 'error-summary'}" role="${banner.tone === 'success' ? 'status' : 'alert'}" tabindex="-1" id="banner"><h2>${escaped(banner.title)}</h2><ul>${banner.lines.map((line) => html`<li>${escaped(line)}</li>`)}</ul></div>`;
  const warnings = html`<p class="warning" role="note">${t.teacher.completedWarning}</p><p class="notice small">${t.teacher.effortNotice}</p>`;
  const filter = html`<label for="filter-participants">${t.teacher.filterLabel}</label><input type="search" id="filter-participants" data-filter-rows="participants"/>`;
  const markAll = html`<button type="button" class="button-small" data-check-all="present" hidden="">${t.teacher.markAllPresent}</button>`;
  const tools = html`${warnings}<div class="table-tools">${filter}${markAll}</div>`;
  const head = html`<thead><tr><th scope="col">${t.teacher.name}</th><th scope="col">${t.teacher.currentStatus}</th><th scope="col">${t.teacher.attendanceSoFar}</th><th scope="col" class="num">${t.teacher.rate}</th><th scope="col" class="num">${t.teacher.points}</th><th scope="col">${t.teacher.present}</th><th scope="col">${t.teacher.changeStatus}</th><th scope="col">${t.teacher.effort}</th></tr></thead>`;
  const table = html`<div class="table-scroll"><table class="data" id="participants">${head}<tbody>${raw(rows)}</tbody></table></div>`;
  const formErrors =
    props.formErrors && props.formErrors.length > 0 && html`<ul class="cell-error" id="form-errors">${props.formErrors.map((m) => html`<li>${escaped(m)}</li>`)}</ul>`;
  const allMeetings = html`<p><input type="checkbox" id="allMeetings" name="allMeetings" value="1" data-all-meetings="true"${flag('checked', entered?.allMeetings ?? false)}/><label for="allMeetings">${t.teacher.allMeetings}</label></p>`;
  const maximumHint = html`<span class="muted small" id="ignoreMaximum-hint"> ${t.teacher.ignoreMaximumHint(formatPoints(locale, view.run.max_study_points))}</span>`;
  const ignoreMaximum = html`<p><input type="checkbox" id="ignoreMaximum" name="ignoreMaximum" value="1"${flag('checked', entered?.ignoreMaximum ?? false)} aria-describedby="ignoreMaximum-hint"/><label for="ignoreMaximum">${t.teacher.ignoreMaximum}</label>${maximumHint}</p>`;
  const meetingsPart = html`<fieldset class="meetings"><legend>${t.teacher.meetingsLegend}</legend>${formErrors}${view.meetings.length === 0 && html`<p>${t.teacher.noMeetings}</p>`}<ul>${meetings}</ul>${allMeetings}${ignoreMaximum}</fieldset>`;
  const hidden = html`<input type="hidden" name="${CSRF_FIELD}" value="${props.csrfToken}"/><input type="hidden" name="seenMeetings" value="${entered?.seenMeetings ?? view.seenMeetings}"/>`;
  const form = html`<form method="post" action="/teacher/runs/${view.run.id}" enctype="multipart/form-data" id="${FORM_ID}" data-warn-unsaved="${t.teacher.unsavedWarning}">${hidden}${tools}${table}${meetingsPart}<p><button type="submit" class="button-primary">${t.teacher.submit}</button></p></form>`;
  const inactive = view.inactive.length > 0 && inactiveSection(props);
  return html`${heading}${cancelled}${bannerPart}${view.active.length === 0 && html`<p class="notice">${t.teacher.noParticipants}</p>`}${form}${inactive}`;
}

/** The enrolments that no longer take part (INACTIVE_STATUSES), apart below the form, with the correction each allows. */
function inactiveSection(props: ParticipantsPageProps) {
  const { view, t, locale, entered } = props;
  const rows = view.inactive
    .map((row) => inactiveRowHtml({ row, t, locale, entered: entered?.rows.get(row.enrolmentId), errors: props.rowErrors?.get(row.enrolmentId), today: view.today, formId: FORM_ID }))
    .join('');
  const head = html`<thead><tr><th scope="col">${t.teacher.name}</th><th scope="col">${t.teacher.currentStatus}</th><th scope="col">${t.teacher.attendanceSoFar}</th><th scope="col" class="num">${t.teacher.points}</th><th scope="col">${t.teacher.correct}</th></tr></thead>`;
  const table = html`<div class="table-scroll"><table class="data">${head}<tbody>${raw(rows)}</tbody></table></div>`;
  return html`<section aria-labelledby="inactive-title"><h2 id="inactive-title">${t.teacher.inactiveTitle}</h2><p class="muted">${t.teacher.inactiveIntro}</p>${table}</section>`;
}
