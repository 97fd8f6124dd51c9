/**
 * The contract's errors as a small typed hierarchy. Domain code throws these; the HTTP layer turns
 * any of them into `{error: {code, message, details}}` with its status. Anything else is a 500 whose
 * message never leaves the server.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends AppError {
  constructor(message = 'The request is not valid.', details: ErrorDetail[] = []) {
    super(400, 'validation_failed', message, details);
  }
}

export class Unauthenticated extends AppError {
  constructor(message = 'Sign in to continue.') {
    super(401, 'unauthenticated', message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You are not allowed to do this.', code = 'forbidden') {
    super(403, code, message);
  }
}

export class NotFound extends AppError {
  constructor(what = 'The resource') {
    super(404, 'not_found', `${what} was not found.`);
  }
}

export class MethodNotAllowed extends AppError {
  constructor(allowed: string[]) {
    super(405, 'method_not_allowed', `This path accepts ${allowed.join(', ')}.`);
  }
}

export class Conflict extends AppError {
  constructor(message: string, code = 'conflict', details: ErrorDetail[] = []) {
    super(409, code, message, details);
  }
}

export class PayloadTooLarge extends AppError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `The body exceeds ${limitBytes} bytes.`);
  }
}

export class UnsupportedMediaType extends AppError {
  constructor() {
    super(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
}

export class RateLimited extends AppError {
  constructor(message = 'Too many requests; try again later.') {
    super(429, 'rate_limited', message);
  }
}
