import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { formatDate, formatPoints, formatTime } from '../../i18n/index.ts';
import type { Actor } from '../../services/actor.ts';
import { setFlash, takeFlash } from '../../services/flash.ts';
import { discardStagedProofs, saveRegistration, stageProofs } from '../../services/proof-files.ts';
import {
  RegistrationConflict,
  RegistrationRefused,
  type RegistrationSummary,
} from '../../services/register-attendance.ts';
import { loadManagedRun } from '../../services/run-access.ts';
import { getParticipantsView, listMyRuns } from '../../services/teacher-runs.ts';
import { COOKIES, type AppEnv } from '../../web/context.ts';
import { requireUser } from '../../web/guards.ts';
import { renderPage } from '../../web/render.tsx';
import { ConfirmPage } from './confirm-page.tsx';
import { ConflictPage } from './conflict-page.tsx';
import { ParticipantsPage, type Banner } from './participants-page.tsx';
import { RunsPage } from './runs-page.tsx';
import { parseRegistrationForm, proofFileOf, type EnteredForm } from './teacher.schema.ts';

export function actorOf(c: Context<AppEnv>): Actor {
  const user = requireUser(c);
  return { id: user.id, roles: user.roles, source: user.roles.includes('teacher') ? 'teacher_form' : 'admin' };
}

/** The counts of a save's summary, as kept in the session's flash. */
const SUMMARY_KEYS = ['participants', 'meetings', 'attendanceChanged', 'statusesChanged', 'certificatesIssued', 'certificatesRevoked', 'pointsCredited', 'pointsRemoved', 'effortChanged', 'proofsRecorded'] as const;

/**
 * The summary of the save this session just made on this run, taken (once) from the session's flash:
 * never from the address, so a link cannot show a confirmation of a save that did not happen.
 */
async function savedSummary(c: Context<AppEnv>, runId: string): Promise<RegistrationSummary | undefined> {
  if (c.req.query('saved') !== '1') return undefined;
  const flash = await takeFlash(c.var.deps.store.db, getCookie(c, COOKIES.session));
  if (flash?.kind !== 'registration' || flash.runId !== runId) return undefined;
  const summary = {} as Record<(typeof SUMMARY_KEYS)[number], number>;
  for (const k of SUMMARY_KEYS) summary[k] = flash.summary[k] ?? 0;
  return summary;
}

function savedBanner(c: Context<AppEnv>, s: RegistrationSummary): Banner {
  const t = c.var.t.registration;
  const lines: string[] = [];
  if (s.meetings > 0) lines.push(t.attendance(s.participants, s.meetings));
  if (s.attendanceChanged > 0) lines.push(t.attendanceChanged(s.attendanceChanged));
  if (s.statusesChanged > 0) lines.push(t.statuses(s.statusesChanged));
  if (s.certificatesIssued > 0) lines.push(t.certificatesIssued(s.certificatesIssued));
  if (s.certificatesRevoked > 0) lines.push(t.certificatesRevoked(s.certificatesRevoked));
  if (s.pointsCredited > 0) lines.push(t.points(formatPoints(c.var.locale, s.pointsCredited)));
  if (s.pointsRemoved > 0) lines.push(t.pointsRemoved(formatPoints(c.var.locale, s.pointsRemoved)));
  if (s.effortChanged > 0) lines.push(t.effort(s.effortChanged));
  if (s.proofsRecorded > 0) lines.push(t.proofs(s.proofsRecorded));
  const nothing = s.attendanceChanged === 0 && s.statusesChanged === 0 && s.effortChanged === 0 && s.certificatesRevoked === 0 && s.proofsRecorded === 0;
  return { tone: 'success', title: t.savedTitle, lines: nothing ? [t.nothingChanged] : lines };
}

export function teacherRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/teacher/runs', async (c) => {
    const runs = await listMyRuns(c.var.deps.store.db, actorOf(c));
    return renderPage(c, c.var.t.teacher.runsTitle, <RunsPage runs={runs} t={c.var.t} locale={c.var.locale} />);
  });

  app.get('/teacher/runs/:runId', async (c) => {
    const actor = actorOf(c);
    const view = await getParticipantsView(c.get('deps').store.db, actor, c.req.param('runId'));
    const summary = await savedSummary(c, view.run.id);
    return renderParticipants(c, actor, view, { banner: summary && savedBanner(c, summary) });
  });

  app.post('/teacher/runs/:runId', async (c) => {
    const actor = actorOf(c);
    const runId = c.req.param('runId');
    const { db } = c.var.deps.store;
    const dataDir = c.var.deps.config.DATA_DIR;
    const t = c.var.t;
    // Access first: whoever may not manage the run is answered before any file of the form is read.
    await loadManagedRun(db, actor, runId);
    const body = await c.req.parseBody({ all: true });
    const { input, entered, fieldErrors } = parseRegistrationForm(body, runId);

    const showForm = async (status: 200 | 409 | 422, extra: { banner?: Banner; rowErrors?: Map<string, string[]>; formErrors?: string[] }) => {
      const view = await getParticipantsView(db, actor, runId);
      // A problem of a row the table does not show (no longer in the run, or no longer taking part)
      // is said in the banner, so that no refusal goes without its reason.
      const shown = new Set(view.active.map((r) => r.enrolmentId));
      const unshown = [...(extra.rowErrors ?? [])].filter(([id]) => !shown.has(id)).flatMap(([, messages]) => messages);
      const banner = extra.banner && unshown.length > 0 ? { ...extra.banner, lines: [...new Set([...extra.banner.lines, ...unshown])] } : extra.banner;
      return renderParticipants(c, actor, view, { entered, ...extra, banner }, status);
    };

    // "Terug naar het formulier" on the confirmation screen: the form again, every value kept, nothing saved.
    if (text(body.back) === '1') return showForm(200, {});

    // A refused or conflicting save keeps no file: the form comes back asking for the files again.
    const forgetFiles = () => {
      const had = [...entered.rows.values()].some((r) => r.proofFileKey !== '');
      for (const row of entered.rows.values()) row.proofFileKey = '';
      return had ? [t.proofUploads.notKept] : [];
    };

    // Proof files are checked by content and staged; their keys travel with the form from then on,
    // so the confirmation screen never asks for the file again.
    const uploads = input.rows.flatMap((row) => {
      const file = proofFileOf(body, row.enrolmentId);
      if (!file || fieldErrors.has(row.enrolmentId)) return [];
      return [{ enrolmentId: row.enrolmentId, size: file.size, read: async () => new Uint8Array(await file.arrayBuffer()) }];
    });
    const staged = await stageProofs(db, dataDir, actor, runId, uploads);
    for (const row of input.rows) {
      const result = staged.get(row.enrolmentId);
      if (!result) continue;
      if ('rejected' in result) {
        fieldErrors.set(row.enrolmentId, [...(fieldErrors.get(row.enrolmentId) ?? []), result.rejected]);
      } else {
        row.proofFile = result.key;
        entered.rows.get(row.enrolmentId)!.proofFileKey = result.key;
      }
    }

    if (fieldErrors.size > 0) {
      await discardStagedProofs(db, dataDir, input.rows);
      const rowErrors = new Map([...fieldErrors].map(([id, keys]) => [id, keys.map((k) => t.registration.errors[k])]));
      return showForm(422, { rowErrors, banner: { tone: 'error', title: t.registration.refusedTitle, lines: [t.registration.refused, ...forgetFiles()] } });
    }

    try {
      const outcome = await saveRegistration(db, dataDir, actor, input);
      if (outcome.kind === 'confirm') {
        const run = await loadManagedRun(db, actor, runId);
        const versions = new Map(input.rows.map((r) => [r.enrolmentId, r.version]));
        return renderPage(
          c,
          t.registration.confirmTitle,
          <ConfirmPage
            runId={runId}
            courseTitle={run.course_title}
            entered={entered}
            versions={versions}
            earlyCompletions={outcome.earlyCompletions}
            overwrites={outcome.overwrites}
            corrections={outcome.corrections}
            alreadyConfirmed={{ early: input.confirmEarlyCompletion, overwrites: input.confirmOverwrites }}
            t={t}
            locale={c.var.locale}
            csrfToken={c.var.csrfToken}
          />,
        );
      }
      const token = getCookie(c, COOKIES.session);
      if (token) await setFlash(db, token, { kind: 'registration', runId, summary: { ...outcome.summary } });
      return c.redirect(`/teacher/runs/${runId}?saved=1#banner`, 303);
    } catch (error) {
      if (error instanceof RegistrationRefused) {
        const rowErrors = new Map([...error.rowErrors].map(([id, keys]) => [id, keys.map((k) => t.registration.errors[k])]));
        const formErrors = [
          ...error.formErrors.map((k) => t.registration.errors[k]),
          ...error.notStarted.map((m) => t.registration.meetingNotStarted(`${formatDate(c.var.locale, m.starts_at)} ${formatTime(c.var.locale, m.starts_at)}`)),
        ];
        const lines = [t.registration.refused, ...formErrors, ...forgetFiles()];
        return showForm(422, { rowErrors, formErrors, banner: { tone: 'error', title: t.registration.refusedTitle, lines } });
      }
      if (error instanceof RegistrationConflict) {
        const run = await loadManagedRun(db, actor, runId);
        return renderPage(
          c,
          t.registration.conflictTitle,
          <ConflictPage
            runId={runId}
            courseTitle={run.course_title}
            entered={entered}
            versions={new Map(input.rows.map((r) => [r.enrolmentId, r.version]))}
            conflicts={error.conflicts}
            alreadyConfirmed={{ early: input.confirmEarlyCompletion, overwrites: input.confirmOverwrites }}
            t={t}
            locale={c.var.locale}
            csrfToken={c.var.csrfToken}
          />,
          409,
        );
      }
      throw error;
    }
  });

  return app;
}

/** The first value of a form field, if it is text. */
function text(value: string | File | (string | File)[] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

function renderParticipants(
  c: Context<AppEnv>,
  actor: Actor,
  view: Awaited<ReturnType<typeof getParticipantsView>>,
  extra: { entered?: EnteredForm; banner?: Banner | undefined; rowErrors?: Map<string, string[]>; formErrors?: string[] },
  status: 200 | 409 | 422 = 200,
) {
  const t = c.get('t');
  return renderPage(
    c,
    t.teacher.runTitle(view.run.course_title),
    <ParticipantsPage
      view={view}
      t={t}
      locale={c.get('locale')}
      csrfToken={c.get('csrfToken')}
      isAdmin={actor.roles.includes('admin')}
      entered={extra.entered}
      banner={extra.banner}
      rowErrors={extra.rowErrors}
      formErrors={extra.formErrors}
    />,
    status,
  );
}
