import { Hono, type Context } from 'hono';
import type { Actor } from '../../services/actor.ts';
import { getMyEnrolment, listMyEnrolments } from '../../services/participant.ts';
import type { AppEnv } from '../../web/context.ts';
import { requireUser } from '../../web/guards.ts';
import { renderPage } from '../../web/render.tsx';
import { EnrolmentPage } from './enrolment-page.tsx';
import { isDoneAction, type ActionRefusal, type DoneAction } from './enrolment-actions.tsx';
import { participantActionRoutes } from './participant-actions.routes.tsx';
import { getEnrolmentActions } from '../../services/participant-actions.ts';
import { EnrolmentsPage } from './enrolments-page.tsx';
import { takeNotice } from '../../web/notice.ts';

/** The signed-in person acting for themselves: what they do here is recorded as the participant's. */
export function participantActor(c: Context<AppEnv>): Actor {
  const user = requireUser(c);
  return { id: user.id, roles: user.roles, source: 'participant' };
}

/** The participant's own pages: **Mijn opleidingen** with the transcript, and one enrolment in full. */
export function participantRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/me/enrolments', async (c) => {
    const { enrolments, transcript } = await listMyEnrolments(c.var.deps.store.db, participantActor(c));
    const { t, locale } = c.var;
    return renderPage(c, t.participant.enrolmentsTitle, <EnrolmentsPage enrolments={enrolments} transcript={transcript} t={t} locale={locale} />);
  });

  app.get('/me/enrolments/:id', async (c) => {
    const done = (await takeNotice(c))?.key;
    return renderEnrolmentPage(c, c.req.param('id'), { done: isDoneAction(done) ? done : undefined, before: c.req.query('before') });
  });

  app.route('/', participantActionRoutes());

  return app;
}

/** One of the actor's own enrolments in full, with what they can do on it; a refused action comes back beside its form. */
export async function renderEnrolmentPage(
  c: Context<AppEnv>,
  enrolmentId: string,
  options: { done?: DoneAction | undefined; before?: string | undefined; refusal?: ActionRefusal },
) {
  const db = c.var.deps.store.db;
  const detail = await getMyEnrolment(db, participantActor(c), enrolmentId, { before: options.before });
  const now = new Date();
  const actions = await getEnrolmentActions(db, detail.enrolment, now);
  const { t, locale } = c.var;
  return renderPage(
    c,
    detail.enrolment.course_title,
    <EnrolmentPage
      detail={detail}
      actions={actions}
      refusal={options.refusal}
      done={options.done}
      csrfToken={c.get('csrfToken')}
      now={now.toISOString()}
      t={t}
      locale={locale}
    />,
    options.refusal ? 422 : 200,
  );
}
