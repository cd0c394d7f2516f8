/** Turns anything thrown by a route into JSON a person can act on, with the right status code. */
import type express from 'express';
import { z } from 'zod';
import { AppError, ConflictError, ValidationError } from '../../errors';
import type { Logger } from '../../logger';
import { AuthError } from '../auth';

const STATUS: Record<string, number> = {
  invalid: 400,
  plan_format: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  config: 503,
  unavailable: 503,
  sign_in_again: 401,
  consent_required: 401,
  upstream_failed: 502,
};

export class UnavailableError extends AppError {
  readonly code = 'unavailable';
}

/** The signed-in person's Teams token could not be exchanged for their access (on-behalf-of): they must act. */
export class SignInNeededError extends AppError {
  constructor(
    readonly code: 'sign_in_again' | 'consent_required',
    message: string,
  ) {
    super(message);
    this.name = 'SignInNeededError';
  }
}

/** A Microsoft service the request depends on refused it or could not be reached: not the person's doing. */
export class UpstreamError extends AppError {
  readonly code = 'upstream_failed';
}

/** One line per zod issue: "leads: An item needs at least one lead role". */
export function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export function errorHandler(logger: Logger): express.ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof z.ZodError) {
      res.status(400).json({ error: 'invalid', message: zodMessage(err) });
      return;
    }
    if (err instanceof AuthError) {
      res.status(401).json({ error: err.code, message: err.message });
      return;
    }
    if (err instanceof AppError) {
      const body: Record<string, unknown> = { error: err.code, message: err.message };
      if ('field' in err && err.field) body.field = err.field;
      if (err instanceof ValidationError && err.problems) body.problems = err.problems;
      if (err instanceof ConflictError && err.current) body.current = err.current;
      res.status(STATUS[err.code] ?? 400).json(body);
      return;
    }
    const e = err as { type?: string; status?: number };
    if (err instanceof URIError) {
      // The router could not decode a %-escape in the address (/api/plans/%E0%A4%A).
      res.status(400).json({
        error: 'invalid',
        message: `The address ${req.originalUrl.slice(0, 200)} has a broken %-escape: encode plan ids and item keys with encodeURIComponent`,
      });
      return;
    }
    if (e?.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'invalid', message: 'The request body is not valid JSON' });
      return;
    }
    if (e?.type === 'entity.too.large') {
      res.status(413).json({ error: 'invalid', message: 'The request body is too large' });
      return;
    }
    logger.error({ err, path: req.path, method: req.method }, 'tab API request failed');
    res.status(500).json({
      error: 'internal',
      message: 'Something went wrong on the server; it has been logged. Try again, and tell the administrator if it keeps happening.',
    });
  };
}
