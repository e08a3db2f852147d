import { html, raw } from 'hono/html';
import type { StatusCode } from '../../db/schema.ts';
import { TEACHER_STATUSES } from '../../domain/study-status.ts';
import { formatDate, formatPoints, formatTime, type Locale, type Messages } from '../../i18n/index.ts';
import type { ParticipantsView } from '../../services/teacher-runs.ts';
import { CSRF_FIELD } from '../../web/csrf.ts';
import { activeRowHtml, inactiveRowHtml } from './participant-rows.ts';
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
      html`<li><input type="checkbox" id="meeting-${m.id}" name="meeting" value="${m.id}" data-meeting="true"${flag('data-started', m.held)}${flag('checked', chosen.has(m.id))}/><label for="meeting-${m.id}">${t.teacher.meetingLabel(
        formatDate(locale, m.starts_at),
        formatTime(locale, m.starts_at),
        formatTime(locale, m.ends_at),
        m.place,
        formatPoints(locale, m.study_points),
      )}</label></li>`,
  );
  // An administrator came from the run overview (and may teach nothing): back to the run's own page.
  const back = props.isAdmin
    ? html`<a href="/admin/runs/${view.run.id}">${t.catalog.backToRun}</a>`
    : html`<a href="/teacher/runs">${t.teacher.backToRuns}</a>`;
  return html`<p>${back}</p><h1>${t.teacher.runTitle(view.run.course_title)}</h1><p class="muted">${t.teacher.runFacts(view.run.code, view.run.place, teachers)} · ${formatDate(locale, view.run.starts_on)} – ${formatDate(locale, view.run.ends_on)}</p>${
    view.run.cancelled_at && html`<p class="warning" role="note" id="run-cancelled"><strong>${t.teacher.cancelled}</strong>: <bdi>${view.run.cancel_reason ?? ''}</bdi></p>`
  }${
    banner &&
    html`<div class="${banner.tone === 'success' ? 'notice' : 'error-summary'}" role="${banner.tone === 'success' ? 'status' : 'alert'}" tabindex="-1" id="banner"><h2>${banner.title}</h2><ul>${banner.lines.map((line) => html`<li>${line}</li>`)}</ul></div>`
  }${view.active.length === 0 && html`<p class="notice">${t.teacher.noParticipants}</p>`}<form method="post" action="/teacher/runs/${view.run.id}" enctype="multipart/form-data" id="${FORM_ID}" data-warn-unsaved="${t.teacher.unsavedWarning}"><input type="hidden" name="${CSRF_FIELD}" value="${props.csrfToken}"/><input type="hidden" name="seenMeetings" value="${entered?.seenMeetings ?? view.seenMeetings}"/><p class="warning" role="note">${t.teacher.completedWarning}</p><p class="notice small">${t.teacher.effortNotice}</p><div class="table-tools"><label for="filter-participants">${t.teacher.filterLabel}</label><input type="search" id="filter-participants" data-filter-rows="participants"/><button type="button" class="button-small" data-check-all="present" hidden="">${t.teacher.markAllPresent}</button></div><div class="table-scroll"><table class="data" id="participants"><thead><tr><th scope="col">${t.teacher.name}</th><th scope="col">${t.teacher.currentStatus}</th><th scope="col">${t.teacher.attendanceSoFar}</th><th scope="col" class="num">${t.teacher.rate}</th><th scope="col" class="num">${t.teacher.points}</th><th scope="col">${t.teacher.present}</th><th scope="col">${t.teacher.changeStatus}</th><th scope="col">${t.teacher.effort}</th></tr></thead><tbody>${raw(rows)}</tbody></table></div><fieldset class="meetings"><legend>${t.teacher.meetingsLegend}</legend>${
    props.formErrors && props.formErrors.length > 0 && html`<ul class="cell-error" id="form-errors">${props.formErrors.map((m) => html`<li>${m}</li>`)}</ul>`
  }${view.meetings.length === 0 && html`<p>${t.teacher.noMeetings}</p>`}<ul>${meetings}</ul><p><input type="checkbox" id="allMeetings" name="allMeetings" value="1" data-all-meetings="true"${flag('checked', entered?.allMeetings ?? false)}/><label for="allMeetings">${t.teacher.allMeetings}</label></p><p><input type="checkbox" id="ignoreMaximum" name="ignoreMaximum" value="1"${flag('checked', entered?.ignoreMaximum ?? false)} aria-describedby="ignoreMaximum-hint"/><label for="ignoreMaximum">${t.teacher.ignoreMaximum}</label><span class="muted small" id="ignoreMaximum-hint"> ${t.teacher.ignoreMaximumHint(formatPoints(locale, view.run.max_study_points))}</span></p></fieldset><p><button type="submit" class="button-primary">${t.teacher.submit}</button></p></form>${
    view.inactive.length > 0 &&
    html`<section aria-labelledby="inactive-title"><h2 id="inactive-title">${t.teacher.inactiveTitle}</h2><p class="muted">${t.teacher.inactiveIntro}</p><div class="table-scroll"><table class="data"><thead><tr><th scope="col">${t.teacher.name}</th><th scope="col">${t.teacher.currentStatus}</th><th scope="col">${t.teacher.attendanceSoFar}</th><th scope="col" class="num">${t.teacher.points}</th><th scope="col">${t.teacher.correct}</th></tr></thead><tbody>${raw(
      view.inactive
        .map((row) => inactiveRowHtml({ row, t, locale, entered: entered?.rows.get(row.enrolmentId), errors: props.rowErrors?.get(row.enrolmentId), today: view.today, formId: FORM_ID }))
        .join(''),
    )}</tbody></table></div></section>`
  }`;
}
