/**
 * Authentication for the tab API. In Teams the tab sends its SSO token as a Bearer token and the
 * server validates it; in local mode (LOCAL_MODE=true) a request without a token is the clearly
 * marked development identity, and `X-Dev-User: someone@example.org` acts as that person (to try a
 * lead's rights without a tenant). Outside local mode a request without a valid token is refused.
 */
import type express from 'express';
import type { Config } from '../../config';
import { DEV_IDENTITY, type Caller } from './caller';
import { AuthError, createTokenValidator, tokenOptionsFrom, type TokenValidator } from './token';

export { AuthError } from './token';
export * from './caller';

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

export function authenticate(config: Config, validator?: TokenValidator): express.RequestHandler {
  const options = tokenOptionsFrom(config);
  const validate = validator ?? (options ? createTokenValidator(options) : undefined);
  return (req, _res, next) => {
    const header = req.get('authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) {
        next(new AuthError('The Authorization header must be "Bearer <token>"'));
        return;
      }
      if (!validate) {
        next(
          new AuthError(
            'Single sign-on is not configured on this server: set TENANT_ID and CLIENT_ID (or LOCAL_MODE=true for development)',
          ),
        );
        return;
      }
      validate(match[1] as string).then(
        (caller) => {
          req.caller = caller;
          next();
        },
        (err: unknown) => next(err instanceof AuthError ? err : new AuthError('The token could not be validated')),
      );
      return;
    }
    if (config.LOCAL_MODE) {
      const as = req.get('x-dev-user')?.trim();
      req.caller = as ? { id: as, name: as, email: as, local: true } : { ...DEV_IDENTITY };
      next();
      return;
    }
    next(new AuthError('Sign in through Teams: this request carries no token'));
  };
}

export function callerOf(req: express.Request): Caller {
  if (!req.caller) throw new AuthError('Not signed in');
  return req.caller;
}
