import { Hono, type Context } from 'hono';
import { formatPoints } from '../../i18n/index.ts';
import type { Actor } from '../../services/actor.ts';
import { storeProof } from '../../services/proof-files.ts';
import {
  RegistrationConflict,
  RegistrationRefused,
  registerAttendance,
  type RegistrationSummary,
} from '../../services/register-attendance.ts';
import { loadManagedRun } from '../../services/run-access.ts';
import { getParticipantsView, listMyRuns } from '../../services/teacher-runs.ts';
import type { AppEnv } from '../../web/context.ts';
import { requireUser } from '../../web/guards.ts';
import { renderPage } from '../../web/render.tsx';
import { ConfirmPage } from './confirm-page.tsx';
import { ParticipantsPage, type Banner } from './participants-page.tsx';
import { RunsPage } from './runs-page.tsx';
import { parseRegistrationForm, proofFileOf, type EnteredForm } from './teacher.schema.ts';

export function actorOf(c: Context<AppEnv>): Actor {
  const user = requireUser(c);
  return { id: user.id, roles: user.roles, source: user.roles.includes('teacher') ? 'teacher_form' : 'admin' };
}

/** The summary travels in the redirect's query string (post/redirect/get), as plain counts. */
const SUMMARY_KEYS = ['participants', 'meetings', 'attendanceChanged', 'statusesChanged', 'certificatesIssued', 'certificatesRevoked', 'pointsCredited', 'effortChanged'] as const;

function summaryToQuery(summary: RegistrationSummary): string {
  return new URLSearchParams(SUMMARY_KEYS.map((k) => [k, String(summary[k])])).toString();
}

function summaryFromQuery(c: Context<AppEnv>): RegistrationSummary | undefined {
  if (c.req.query('saved') !== '1') return undefined;
  const summary = {} as Record<(typeof SUMMARY_KEYS)[number], number>;
  for (const k of SUMMARY_KEYS) {
    const n = Number(c.req.query(k) ?? 0);
    summary[k] = Number.isFinite(n) ? n : 0;
  }
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
  if (s.pointsCredited !== 0) lines.push(t.points(formatPoints(c.var.locale, s.pointsCredited)));
  if (s.effortChanged > 0) lines.push(t.effort(s.effortChanged));
  const nothing = s.attendanceChanged === 0 && s.statusesChanged === 0 && s.effortChanged === 0 && s.certificatesRevoked === 0;
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
    const summary = summaryFromQuery(c);
    return renderParticipants(c, actor, view, { banner: summary && savedBanner(c, summary) });
  });

  app.post('/teacher/runs/:runId', async (c) => {
    const actor = actorOf(c);
    const runId = c.req.param('runId');
    const { db } = c.var.deps.store;
    const t = c.var.t;
    const body = await c.req.parseBody({ all: true });
    const { input, entered, fieldErrors } = parseRegistrationForm(body, runId);

    // Proof files are checked and stored first; their keys travel with the form from then on, so a
    // refused or confirmed save never asks for the file again.
    for (const row of input.rows) {
      const file = proofFileOf(body, row.enrolmentId);
      if (!file || fieldErrors.has(row.enrolmentId)) continue;
      const stored = await storeProof(c.var.deps.config.DATA_DIR, new Uint8Array(await file.arrayBuffer()));
      if ('rejected' in stored) {
        fieldErrors.set(row.enrolmentId, [stored.rejected]);
      } else {
        row.proofFile = stored.key;
        entered.rows.get(row.enrolmentId)!.proofFileKey = stored.key;
      }
    }

    const showForm = async (status: 400 | 409 | 422, extra: { banner?: Banner; rowErrors?: Map<string, string[]>; formErrors?: string[] }) => {
      const view = await getParticipantsView(db, actor, runId);
      return renderParticipants(c, actor, view, { entered, ...extra }, status);
    };

    if (body.back === '1') return showForm(400, {});

    if (fieldErrors.size > 0) {
      const rowErrors = new Map([...fieldErrors].map(([id, keys]) => [id, keys.map((k) => t.registration.errors[k])]));
      return showForm(422, { rowErrors, banner: { tone: 'error', title: t.registration.refusedTitle, lines: [t.registration.refused] } });
    }

    try {
      const outcome = await registerAttendance(db, actor, input);
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
            alreadyConfirmed={{ early: input.confirmEarlyCompletion, overwrites: input.confirmOverwrites }}
            t={t}
            locale={c.var.locale}
            csrfToken={c.var.csrfToken}
          />,
        );
      }
      return c.redirect(`/teacher/runs/${runId}?saved=1&${summaryToQuery(outcome.summary)}#banner`, 303);
    } catch (error) {
      if (error instanceof RegistrationRefused) {
        const rowErrors = new Map([...error.rowErrors].map(([id, keys]) => [id, keys.map((k) => t.registration.errors[k])]));
        const formErrors = error.formErrors.map((k) => t.registration.errors[k]);
        const lines = [t.registration.refused, ...formErrors];
        return showForm(422, { rowErrors, formErrors, banner: { tone: 'error', title: t.registration.refusedTitle, lines } });
      }
      if (error instanceof RegistrationConflict) {
        return showForm(409, {
          banner: { tone: 'error', title: t.registration.conflictTitle, lines: [t.registration.conflict, ...error.changed.map((x) => x.name)] },
        });
      }
      throw error;
    }
  });

  return app;
}

function renderParticipants(
  c: Context<AppEnv>,
  actor: Actor,
  view: Awaited<ReturnType<typeof getParticipantsView>>,
  extra: { entered?: EnteredForm; banner?: Banner | undefined; rowErrors?: Map<string, string[]>; formErrors?: string[] },
  status: 200 | 400 | 409 | 422 = 200,
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
