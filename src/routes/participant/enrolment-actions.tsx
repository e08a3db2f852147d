import type { ParticipantRefusal } from '../../domain/participant-lifecycle.ts';
import { formatDate, formatTime, type Locale, type Messages } from '../../i18n/index.ts';
import type { EnrolmentActions } from '../../services/participant-actions.ts';
import type { MyEnrolmentDetail } from '../../services/participant.ts';
import { CsrfField } from '../../views/layout.tsx';

/** What the participant just did (post/redirect/get), named in the query string. */
export const DONE_ACTIONS = ['started', 'run_chosen', 'withdrawn', 'absence_reported', 'absence_taken_back'] as const;
export type DoneAction = (typeof DONE_ACTIONS)[number];

export function isDoneAction(value: string | undefined): value is DoneAction {
  return (DONE_ACTIONS as readonly string[]).includes(value ?? '');
}

/** A refused action, shown beside its form with what was entered. */
export interface ActionRefusal {
  form: 'run' | 'withdraw' | 'absence';
  meetingId?: string;
  reason: ParticipantRefusal;
  values: { reason?: string; runId?: string };
}

export interface ActionsProps {
  detail: MyEnrolmentDetail;
  actions: EnrolmentActions;
  refusal: ActionRefusal | undefined;
  csrfToken: string;
  t: Messages;
  locale: Locale;
}

/** The confirmation after an action, or the summary of a refusal. */
export function ActionBanner({ done, refusal, t }: { done: DoneAction | undefined; refusal: ActionRefusal | undefined; t: Messages }) {
  if (refusal)
    return (
      <div class="error-summary" role="alert" tabindex={-1} id="banner">
        <p>{t.participantActions.notSaved}</p>
        <p>{t.participantActions.refusals[refusal.reason]}</p>
      </div>
    );
  if (done)
    return (
      <div class="notice" role="status" tabindex={-1} id="banner">
        <p>{t.participantActions.done[done]}</p>
      </div>
    );
  return null;
}

function FieldError({ id, reason, t }: { id: string; reason: ParticipantRefusal | undefined; t: Messages }) {
  return reason ? (
    <p class="field-error" id={id}>
      {t.participantActions.refusals[reason]}
    </p>
  ) : null;
}

/** Open the course: its knowledge centre, its e-learning module. */
export function OpenCourse({ detail, actions, csrfToken, t }: ActionsProps) {
  const { knowledgeCentre, elearning } = actions.openings;
  const id = detail.enrolment.id;
  return (
    <section aria-labelledby="open-title">
      <h2 id="open-title">{t.participantActions.openTitle}</h2>
      {!knowledgeCentre && !elearning && <p class="muted">{t.participantActions.nothingToOpen}</p>}
      {knowledgeCentre && (
        <form method="post" action={`/me/enrolments/${id}/knowledge-centre`} class="inline-form">
          <CsrfField token={csrfToken} />
          <button type="submit" class="button-secondary">
            {t.participantActions.openKnowledgeCentre}
          </button>
        </form>
      )}
      {elearning && (
        <form method="post" action={`/me/enrolments/${id}/elearning`} class="inline-form">
          <CsrfField token={csrfToken} />
          <button type="submit" class="button-primary" aria-describedby="elearning-hint">
            {t.participantActions.openElearning}
          </button>
          <p class="muted small" id="elearning-hint">
            {t.participantActions.openElearningHint}
          </p>
        </form>
      )}
    </section>
  );
}

/** Uitvoeringskeuze vereist: the open runs with free places, one to choose. */
export function RunChoice({ detail, actions, refusal, csrfToken, t, locale }: ActionsProps) {
  const runs = actions.runChoices;
  if (!runs) return null;
  const error = refusal?.form === 'run' ? refusal.reason : undefined;
  const chosen = refusal?.form === 'run' ? refusal.values.runId : undefined;
  return (
    <section aria-labelledby="run-choice-title">
      <h2 id="run-choice-title">{t.participantActions.runChoiceTitle}</h2>
      <p>{t.participantActions.runChoiceIntro}</p>
      {runs.length === 0 ? (
        <p class="notice">{t.participantActions.noRunsOpen}</p>
      ) : (
        <form method="post" action={`/me/enrolments/${detail.enrolment.id}/run`}>
          <CsrfField token={csrfToken} />
          <fieldset aria-describedby={error ? 'run-error' : undefined}>
            <legend>{t.participantActions.runChoiceLegend}</legend>
            {runs.map((r, i) => (
              <div class="field-inline">
                <input type="radio" name="runId" id={`run-${r.id}`} value={r.id} required checked={chosen ? chosen === r.id : i === 0} />
                <label for={`run-${r.id}`}>
                  <bdi>
                    {t.participantActions.runOption(`${formatDate(locale, r.startsOn)} – ${formatDate(locale, r.endsOn)}`, r.place, r.code)}
                  </bdi>{' '}
                  <span class="muted small">
                    {r.freePlaces === null ? t.participantActions.unlimitedPlaces : t.participantActions.freePlaces(r.freePlaces)}
                  </span>
                </label>
              </div>
            ))}
            <FieldError id="run-error" reason={error} t={t} />
          </fieldset>
          <button type="submit" class="button-primary">
            {t.participantActions.chooseRun}
          </button>
        </form>
      )}
    </section>
  );
}

/** Withdraw before the run starts, with an optional reason; or the recorded withdrawal. */
export function Withdraw({ detail, actions, refusal, csrfToken, t, locale }: ActionsProps) {
  const e = detail.enrolment;
  if (e.withdrawn_on && !actions.withdrawUntil)
    return (
      <section aria-labelledby="withdraw-title">
        <h2 id="withdraw-title">{t.participantActions.withdrawTitle}</h2>
        <p>{t.participantActions.withdrawnNotice(formatDate(locale, e.withdrawn_on))}</p>
      </section>
    );
  if (!actions.withdrawUntil) return null;
  const error = refusal?.form === 'withdraw' ? refusal.reason : undefined;
  return (
    <section aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">{t.participantActions.withdrawTitle}</h2>
      <p>{t.participantActions.withdrawIntro(formatDate(locale, actions.withdrawUntil))}</p>
      <form method="post" action={`/me/enrolments/${e.id}/withdraw`}>
        <CsrfField token={csrfToken} />
        <div class="field">
          <label for="withdraw-reason">{t.participantActions.withdrawReason}</label>
          <textarea id="withdraw-reason" name="reason" rows={2} maxlength={500} aria-describedby={error ? 'withdraw-error' : undefined}>
            {refusal?.form === 'withdraw' ? (refusal.values.reason ?? '') : ''}
          </textarea>
          <FieldError id="withdraw-error" reason={error} t={t} />
        </div>
        <button type="submit" class="button-secondary">
          {t.participantActions.withdraw}
        </button>
      </form>
    </section>
  );
}

type Meeting = MyEnrolmentDetail['meetings'][number];

/** The cell of a meeting in the attendance table: report an absence in advance, or take the report back. */
export function AbsenceCell({ meeting, detail, actions, refusal, csrfToken, t, locale, now }: ActionsProps & { meeting: Meeting; now: string }) {
  if (!actions.mayReportAbsences || meeting.startsAt <= now) return <td>{meeting.absenceReason && <bdi>{meeting.absenceReason}</bdi>}</td>;
  const base = `/me/enrolments/${detail.enrolment.id}/absences/${meeting.id}`;
  const date = `${formatDate(locale, meeting.startsAt)} ${formatTime(locale, meeting.startsAt)}`;
  const mine = refusal?.form === 'absence' && refusal.meetingId === meeting.id ? refusal : undefined;
  const errorId = `absence-error-${meeting.id}`;
  if (meeting.attendance === 'reported_absent')
    return (
      <td>
        <p class="small">
          <bdi>{t.participantActions.reportedReason(meeting.absenceReason ?? '')}</bdi>
        </p>
        <form method="post" action={`${base}/delete`}>
          <CsrfField token={csrfToken} />
          <button type="submit" class="button-small" aria-label={t.participantActions.takeBackFor(date)}>
            {t.participantActions.takeBack}
          </button>
        </form>
        <FieldError id={errorId} reason={mine?.reason} t={t} />
      </td>
    );
  if (meeting.attendance !== 'not_recorded') return <td />;
  return (
    <td>
      <form method="post" action={base} class="absence-form">
        <CsrfField token={csrfToken} />
        <label for={`absence-${meeting.id}`} class="visually-hidden">
          {t.participantActions.absenceReasonFor(date)}
        </label>
        <input
          type="text"
          id={`absence-${meeting.id}`}
          name="reason"
          maxlength={500}
          required
          value={mine?.values.reason ?? ''}
          placeholder={t.participantActions.absenceReason}
          aria-invalid={mine ? 'true' : undefined}
          aria-describedby={mine ? errorId : undefined}
        />
        <button type="submit" class="button-small" aria-label={t.participantActions.reportAbsenceFor(date)}>
          {t.participantActions.reportAbsence}
        </button>
        <FieldError id={errorId} reason={mine?.reason} t={t} />
      </form>
    </td>
  );
}
