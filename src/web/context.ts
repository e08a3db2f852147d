import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Store } from '../db/index.ts';
import type { Locale, Messages } from '../i18n/index.ts';
import type { UserWithRoles } from '../repositories/users.ts';

/** What the app needs from the outside world: created once at start-up (or per test). */
export interface AppDeps {
  store: Store;
  config: Config;
  logger: Logger;
  /** The time the API's registrations are made at; the real time unless a benchmark fixes it. */
  clock?: (() => Date) | undefined;
}

/** Per-request values set by the middleware, read by routes and views. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    locale: Locale;
    t: Messages;
    user: UserWithRoles | undefined;
    csrfToken: string;
    title: string;
  };
}

/** Names of the cookies Presentia sets. */
export const COOKIES = {
  session: 'presentia_session',
  csrf: 'presentia_csrf',
  locale: 'presentia_lang',
} as const;
