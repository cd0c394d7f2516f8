/** Who is calling the tab API, and what they may do. */
import { actorOf, type Actor } from '../../usecases/actor';

export interface Caller {
  /** Entra object id (oid) in Teams; `local-dev` (or the X-Dev-User value) in local mode. */
  id: string;
  name: string;
  /** User principal name / email, when known. */
  email?: string;
  tenantId?: string;
  /** True for the development identity of local mode. */
  local: boolean;
  /** The SSO token the tab sent (never logged): the assertion for on-behalf-of. */
  token?: string;
}

/** The clearly marked identity every request gets in local mode (no SSO). */
export const DEV_IDENTITY: Caller = {
  id: 'local-dev',
  name: 'Development identity (local mode)',
  email: 'dev@localhost',
  local: true,
};

/** The caller as the use cases see them. */
export function actorOfCaller(caller: Caller): Actor {
  return actorOf({
    name: caller.name,
    ids: [caller.id, caller.email],
    id: caller.local ? (caller.email ?? caller.id) : caller.id,
    via: 'tab',
    developer: caller.local && caller.id === DEV_IDENTITY.id,
  });
}
