import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { AppError, CsrfRejected, NotSignedIn, TooLarge } from './errors.ts';
import { chooseLocale, messages } from './i18n/index.ts';
import { resolveSession } from './services/auth.ts';
import { COOKIES, type AppDeps, type AppEnv } from './web/context.ts';
import { csrfProtection } from './web/csrf.ts';
import { isHttps } from './web/cookies.ts';
import { renderPage } from './web/render.tsx';
import { ErrorPage } from './views/error-page.tsx';
import { staticRoutes } from './routes/static.ts';
import { authRoutes } from './routes/auth/auth.routes.tsx';
import { homeRoutes } from './routes/home/home.routes.tsx';
import { teacherRoutes } from './routes/teacher/teacher.routes.tsx';
import { adminRoutes } from './routes/admin/admin.routes.tsx';
import { accountRoutes } from './routes/account/account.routes.tsx';
import { adminUserRoutes } from './routes/admin/users.routes.tsx';
import { lifecycleRoutes } from './routes/admin/lifecycle.routes.tsx';
import { adminCertificateRoutes } from './routes/admin/certificates.routes.tsx';
import { adminCourseRoutes } from './routes/admin/courses.routes.tsx';
import { adminRunRoutes } from './routes/admin/runs.routes.tsx';
import { adminAccountRoutes } from './routes/admin/accounts.routes.tsx';
import { adminEnrolmentRoutes } from './routes/admin/enrolments.routes.tsx';
import { adminImportRoutes } from './routes/admin/imports.routes.tsx';
import { auditHistoryRoutes } from './routes/admin/audit-history.routes.tsx';
import { participantRoutes } from './routes/participant/participant.routes.tsx';
import { certificateRoutes } from './routes/certificates/certificates.routes.tsx';
import { attendanceSheetRoutes } from './routes/documents/attendance-sheets.routes.tsx';
import { runExportRoutes } from './routes/documents/run-export.routes.ts';
import { transcriptRoutes } from './routes/documents/transcript.routes.tsx';
import { moduleRoutes } from './routes/elearning/module.routes.ts';
import { courseContentRoutes } from './routes/admin/course-content.routes.tsx';
import { calendarRoutes } from './routes/calendar/calendar.routes.ts';
import { brandingRoutes, organisationLogoRoutes } from './routes/admin/branding.routes.tsx';
import { apiRoutes } from './routes/api/api.routes.tsx';
import { apiTokenRoutes } from './routes/admin/api-tokens.routes.tsx';
import { webhookRoutes } from './routes/admin/webhooks.routes.tsx';

/** The largest request body accepted. */
export const MAX_REQUEST_BYTES = 25 * 1024 * 1024;

/** The whole web application, built around its dependencies (a database store, config and logger). */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const sessionPolicy = { maxHours: deps.config.SESSION_MAX_HOURS, idleMinutes: deps.config.SESSION_IDLE_MINUTES };

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('requestId', randomUUID());
    // Set before the handler, so it joins the response as it is made. Setting a header after the
    // response exists makes Hono rebuild it as a stream, which cost a third of a page's CPU (bench B).
    c.header('X-Request-Id', c.get('requestId'));
    const started = performance.now();
    await next();
    deps.logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        userId: c.get('user')?.id,
      },
      'request',
    );
  });

  // E-learning modules carry their own sandboxing headers and need no session: before the middleware below.
  app.route('/', moduleRoutes());
  // The logo carries its own, stricter headers and needs no session: before the middleware below too.
  app.route('/', organisationLogoRoutes());

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
      strictTransportSecurity: false,
    }),
  );
  app.use('*', async (c, next) => {
    await next();
    if (isHttps(c)) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  });

  app.route('/static', staticRoutes());
  // The JSON API authenticates with bearer tokens only: before the session and CSRF middleware, so
  // that a session cookie never authorises an API request (and no CSRF token is asked of one).
  app.route('/', apiRoutes() as unknown as Hono<AppEnv>);

  app.use('*', async (c, next) => {
    const token = getCookie(c, COOKIES.session);
    const user = token ? await resolveSession(deps.store.db, token, sessionPolicy) : undefined;
    c.set('user', user);
    const locale = chooseLocale({
      userSetting: user?.locale,
      cookie: getCookie(c, COOKIES.locale),
      acceptLanguage: c.req.header('accept-language'),
    });
    c.set('locale', locale);
    c.set('t', messages(locale));
    c.set('csrfToken', '');
    await next();
  });
  // Before anything reads a body: a request is buffered whole, so its size is bounded (several proof
  // files of at most 5 MB each fit in one save). A GET or HEAD has no body to read; the limit's look
  // at it would make the node adapter build a whole fetch Request for every page (bench B).
  const limitBody = bodyLimit({
    maxSize: MAX_REQUEST_BYTES,
    onError: () => {
      throw new TooLarge();
    },
  });
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));
  app.use('*', csrfProtection());

  app.route('/', authRoutes(sessionPolicy));
  app.route('/', homeRoutes());
  app.route('/', teacherRoutes());
  app.route('/', adminRoutes());
  app.route('/', accountRoutes());
  app.route('/', adminAccountRoutes());
  app.route('/', adminUserRoutes());
  app.route('/', lifecycleRoutes());
  app.route('/', adminCertificateRoutes());
  app.route('/', adminCourseRoutes());
  app.route('/', adminRunRoutes());
  app.route('/', adminEnrolmentRoutes());
  app.route('/', adminImportRoutes());
  app.route('/', auditHistoryRoutes());
  app.route('/', participantRoutes());
  app.route('/', certificateRoutes());
  app.route('/', attendanceSheetRoutes());
  app.route('/', runExportRoutes());
  app.route('/', transcriptRoutes());
  app.route('/', courseContentRoutes());
  app.route('/', calendarRoutes());
  app.route('/', brandingRoutes());
  app.route('/', apiTokenRoutes());
  app.route('/', webhookRoutes());

  app.notFound((c) => {
    const t = c.var.t ?? messages('nl');
    return renderPage(c, t.errors.notFoundTitle, <ErrorPage title={t.errors.notFoundTitle} message={t.errors.not_found_or_no_access} t={t} />, 404);
  });

  app.onError((error, c) => {
    if (!c.var.t) c.set('t', messages('nl'));
    if (!c.var.locale) c.set('locale', 'nl');
    if (c.var.csrfToken === undefined) c.set('csrfToken', '');
    const t = c.var.t;
    if (error instanceof NotSignedIn) {
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    if (error instanceof AppError) {
      const title = error.status === 404 ? t.errors.notFoundTitle : t.errors[error.id];
      const message =
        error instanceof CsrfRejected ? t.errors.csrf : refusalMessage(t, error) ?? t.errors[error.id];
      return renderPage(c, title, <ErrorPage title={title} message={message} t={t} />, error.status);
    }
    deps.logger.error({ requestId: c.var.requestId, err: error }, 'unhandled error');
    return renderPage(
      c,
      t.errors.serverErrorTitle,
      <ErrorPage title={t.errors.serverErrorTitle} message={t.errors.serverError} code={c.var.requestId} t={t} />,
      500,
    );
  });

  return app;
}

function refusalMessage(t: AppEnv['Variables']['t'], error: AppError): string | undefined {
  if (error.id !== 'refused') return undefined;
  const key = error.message as keyof typeof t.refusals;
  return t.refusals[key];
}
