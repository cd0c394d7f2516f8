/**
 * Typed errors that carry what the person needs to act on. The CLI and HTTP edges turn these into
 * exit codes / status codes and a one-line message; anything else is a bug and is logged as such.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
}

/** The input document is not a plan, or is broken at a known line. */
export class PlanFormatError extends AppError {
  readonly code = 'plan_format';
  constructor(
    readonly line: number,
    readonly detail: string,
    readonly file?: string,
  ) {
    super(line > 0 ? `${file ? `${file}:` : 'line '}${line}: ${detail}` : `${file ? `${file}: ` : ''}${detail}`);
    this.name = 'PlanFormatError';
  }
}

/** A value supplied by a person or a client is not acceptable; nothing was changed. */
export class ValidationError extends AppError {
  readonly code = 'invalid';
  constructor(
    message: string,
    readonly field?: string,
    /** Every problem found, by field, when there are several (a status report). */
    readonly problems?: ReadonlyArray<{ field: string; message: string }>,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** Something asked for does not exist. */
export class NotFoundError extends AppError {
  readonly code = 'not_found';
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/**
 * Someone else changed the item since the caller read it (SQLite version or SharePoint eTag mismatch).
 * Nothing was written; `current` is what is stored now, so the caller can show it and let the person decide.
 */
export class ConflictError extends AppError {
  readonly code = 'conflict';
  constructor(
    message: string,
    readonly current?: unknown,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Configuration is missing or invalid; names the variable. */
export class ConfigError extends AppError {
  readonly code = 'config';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
