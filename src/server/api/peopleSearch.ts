/**
 * People search for the directory. In Teams: Microsoft Graph `GET /users?$search=…` on behalf of the
 * signed-in user (so only people they may see), through the app's one Graph client with its retries
 * (https://learn.microsoft.com/graph/search-query-parameter: `$search` on users needs
 * `ConsistencyLevel: eventual`). In local mode: the people already in the plans' directories.
 */
import type { GraphHttp } from '../../graph/graphHttp';
import type { PlanStore } from '../../store/planStore';
import { SignInNeededError, UnavailableError, UpstreamError } from './errors';

export interface PersonHit {
  id: string;
  name: string;
  email: string | null;
}

interface GraphUser {
  id: string;
  displayName?: string;
  mail?: string | null;
  userPrincipalName?: string;
}

export async function searchGraphPeople(graph: GraphHttp, q: string): Promise<PersonHit[]> {
  const term = q.replace(/["\\]/g, ' ').trim();
  const path = `/users?$search=${encodeURIComponent(`"displayName:${term}" OR "mail:${term}"`)}&$select=id,displayName,mail,userPrincipalName&$top=10`;
  let body: { value?: GraphUser[] };
  try {
    body = (await graph.get<{ value?: GraphUser[] }>(path, { headers: { ConsistencyLevel: 'eventual' } })).body;
  } catch (err) {
    const exchange = onBehalfOfFailure(err);
    if (exchange) throw exchange;
    const status = (err as { status?: number }).status;
    throw new UnavailableError(
      `Microsoft Graph could not search people just now${status ? ` (${status})` : ''}. Type the person's name and email instead.`,
    );
  }
  return (body.value ?? []).map((u) => ({
    id: u.id,
    name: u.displayName ?? u.userPrincipalName ?? u.id,
    email: u.mail ?? u.userPrincipalName ?? null,
  }));
}

const INSTEAD = "Meanwhile, type the person's name and e-mail address instead.";

/** What the exchange was for, in the messages: people search by default. */
export interface OboPurpose {
  /** "search your organisation's people" */
  may: string;
  /** "search people" */
  doing: string;
  /** The Graph permission the administrator consents to. */
  permission: string;
  /** What to do meanwhile. */
  instead: string;
}

const PEOPLE_SEARCH: OboPurpose = {
  may: "search your organisation's people",
  doing: 'search people',
  permission: 'User.ReadBasic.All',
  instead: INSTEAD,
};

/**
 * An on-behalf-of exchange that failed (msal-node's errors: `errorCode`, `subError` and the AADSTS
 * code in `errorMessage`), as what the person or the administrator must do; undefined for anything
 * else (a Graph error after the exchange). AADSTS codes:
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 * On-behalf-of errors: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example
 */
export function onBehalfOfFailure(thrown: unknown, purpose: OboPurpose = PEOPLE_SEARCH): Error | undefined {
  const { may, doing, permission, instead } = purpose;
  // The Graph client turns what its middleware threw into a GraphError (statusCode -1, code = the
  // error's name, message = msal's "errorCode: errorMessage"); a request that may have been sent
  // carries it as its reason (AmbiguousWriteError.reason).
  let err = thrown as { name?: string; reason?: unknown; code?: unknown; statusCode?: unknown; message?: string } | undefined;
  if (err?.name === 'AmbiguousWriteError') err = err.reason as typeof err;
  if (!err) return undefined;
  const raw = err as { name?: string; errorCode?: string; subError?: string; errorMessage?: string; message?: string };
  const wrapped = err.statusCode === -1 && typeof err.code === 'string';
  const e = {
    name: wrapped ? (err.code as string) : raw.name,
    errorCode: raw.errorCode ?? (wrapped ? /^([a-z_]+):/.exec(raw.message ?? '')?.[1] : undefined),
    subError: raw.subError,
    errorMessage: raw.errorMessage,
    message: raw.message,
  };
  if (typeof e.errorCode !== 'string' || !/AuthError|ServerError|NetworkError/.test(e.name ?? '')) return undefined;
  const text = `${e.errorMessage ?? ''} ${e.message ?? ''}`;
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1];
  if (e.subError === 'consent_required' || e.errorCode === 'consent_required' || aadsts === '65001' || aadsts === '65004')
    return new SignInNeededError(
      'consent_required',
      `The Delivery Plan app may not ${may} for you yet: your Microsoft 365 administrator must grant it consent (Microsoft Graph ${permission}, see the deployment guide). ${instead}`,
    );
  if (['7000215', '7000222', '700016', '700024', '50034', '90002'].includes(aadsts ?? '') || e.errorCode === 'invalid_client')
    return new UpstreamError(
      `Microsoft Entra refused the Delivery Plan app's own registration (AADSTS${aadsts ?? ' invalid_client'}: its client secret may have expired or the tenant is wrong). Tell your administrator. ${instead}`,
    );
  if (
    e.name === 'InteractionRequiredAuthError' ||
    ['interaction_required', 'login_required', 'invalid_grant'].includes(e.errorCode) ||
    ['50013', '500133', '50076', '50079', '50158', '53003', '50173'].includes(aadsts ?? '')
  )
    return new SignInNeededError(
      'sign_in_again',
      `Your Teams sign-in could not be used to ${doing} (it has expired, or your organisation asks you to sign in again). Reload the tab, or sign out of Teams and back in, then try again. ${instead}`,
    );
  return new UpstreamError(
    `Microsoft Entra could not be reached to ${doing} for you just now${aadsts ? ` (AADSTS${aadsts})` : ''}. Try again in a minute. ${instead}`,
  );
}

/**
 * Local mode (no Graph): the people already in the plans' directories and those who have reported on
 * them, matched on name or e-mail; `externalOnly` keeps only external partners (`mailto:` ids).
 */
export async function searchDirectoryPeople(store: PlanStore, q: string, options: { externalOnly?: boolean } = {}): Promise<PersonHit[]> {
  const folded = q.toLowerCase();
  const seen = new Map<string, PersonHit>();
  const consider = (hit: PersonHit): void => {
    if (options.externalOnly && !hit.id.startsWith('mailto:')) return;
    const matches = hit.name.toLowerCase().includes(folded) || !!hit.email?.toLowerCase().includes(folded);
    const same = [...seen.values()].some((s) => s.id === hit.id || (!!hit.email && s.email?.toLowerCase() === hit.email.toLowerCase()));
    if (matches && !same) seen.set(hit.id, hit);
  };
  for (const plan of await store.listPlans()) {
    for (const entry of await store.listDirectory(plan.id)) {
      for (const p of entry.people) consider({ id: p.id, name: p.name, email: p.email ?? null });
    }
    if (options.externalOnly) continue;
    // Reporters named by id (a Teams user, or a local one) who are not in a directory yet.
    for (const u of await store.history(plan.id)) if (u.byId) consider({ id: u.byId, name: u.by, email: null });
  }
  return [...seen.values()].slice(0, 10);
}
