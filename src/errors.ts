/**
 * Typed errors with stable ids. Services throw them; one error handler maps them to HTTP and to a
 * message in the reader's language (the `id` is the i18n key under `errors`).
 */
export type ErrorId =
  | 'not_found_or_no_access'
  | 'not_signed_in'
  | 'refused'
  | 'conflict'
  | 'invalid_input'
  | 'csrf'
  | 'rate_limited'
  | 'too_large';

export class AppError extends Error {
  constructor(
    readonly id: ErrorId,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429,
    message?: string,
  ) {
    super(message ?? id);
    this.name = 'AppError';
  }
}

/** The thing does not exist, or the actor may not know it does: one answer for both. */
export class NotFoundOrNoAccess extends AppError {
  constructor() {
    super('not_found_or_no_access', 404);
  }
}

export class NotSignedIn extends AppError {
  constructor() {
    super('not_signed_in', 401);
  }
}

/** The actor may see the thing but not do this to it; `reason` is an i18n key under `refusals`. */
export class Refused extends AppError {
  constructor(readonly reason: string) {
    super('refused', 403, reason);
  }
}

/** A request body that claims to be a form but cannot be read as one (for example a multipart body without its boundary). */
export class UnreadableForm extends AppError {
  constructor() {
    super('invalid_input', 400, 'unreadable form');
  }
}

/** A request body larger than the server accepts (MAX_REQUEST_BYTES). */
export class TooLarge extends AppError {
  constructor() {
    super('too_large', 413);
  }
}

export class CsrfRejected extends AppError {
  constructor() {
    super('csrf', 403);
  }
}

export class RateLimited extends AppError {
  constructor() {
    super('rate_limited', 429);
  }
}
