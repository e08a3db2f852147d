import { Hono, type Context } from 'hono';
import type { Actor } from '../../services/actor.ts';
import { getMyEnrolment, listMyEnrolments } from '../../services/participant.ts';
import type { AppEnv } from '../../web/context.ts';
import { requireUser } from '../../web/guards.ts';
import { renderPage } from '../../web/render.tsx';
import { EnrolmentPage } from './enrolment-page.tsx';
import { EnrolmentsPage } from './enrolments-page.tsx';

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
    const detail = await getMyEnrolment(c.var.deps.store.db, participantActor(c), c.req.param('id'), {
      before: c.req.query('before'),
    });
    const { t, locale } = c.var;
    return renderPage(c, detail.enrolment.course_title, <EnrolmentPage detail={detail} t={t} locale={locale} />);
  });

  return app;
}
