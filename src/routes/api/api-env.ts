import type { Locale, Messages } from '../../i18n/index.ts';
import type { ApiCaller } from '../../services/api-tokens.ts';
import type { AppDeps } from '../../web/context.ts';

/** Per-request values of the JSON API: no session, no CSRF token; the caller comes from a bearer token. */
export interface ApiEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    locale: Locale;
    t: Messages;
    /** Set by the token check; absent only before it (and on the public document routes). */
    caller: ApiCaller;
  };
}
