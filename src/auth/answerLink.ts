/**
 * The signed link an e-mailed request carries: it names the plan, the person (held by e-mail only)
 * and exactly the items asked, and expires (ANSWER_LINK_DAYS, 14 by default). It is a JWT signed
 * with HMAC-SHA256 (ANSWER_LINK_SECRET) through `jsonwebtoken`, the library the app already uses for
 * sign-in tokens: a forged or altered link fails the signature, an old one its `exp`. Whether an
 * item on it was already answered is decided by the answer page against the plan's history, so a
 * link works only until each of its items is answered.
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';

const ISSUER = 'dplan-answer-link';
const ALGORITHM = 'HS256';

export interface AnswerLink {
  /** The link's own id (jti): logged, never the token. */
  id: string;
  planId: string;
  /** The person's directory id (`mailto:<address>` for a partner held by e-mail only). */
  personId: string;
  name: string;
  email: string;
  itemKeys: string[];
  /** When the link was made and until when it works (ISO instants). */
  issuedAt: string;
  expiresAt: string;
}

export type LinkCheck = { ok: true; link: AnswerLink } | { ok: false; why: 'expired' | 'invalid' };

interface Claims {
  plan: string;
  sub: string;
  name: string;
  email: string;
  items: string[];
  jti: string;
  iat: number;
  exp: number;
}

export class AnswerLinkSigner {
  constructor(
    private readonly secret: string,
    private readonly days: number,
    private readonly now: () => Date,
  ) {
    if (secret.length < 32) throw new Error('The answer link key must be at least 32 characters');
  }

  /** A signed token for these items of the plan, working for the configured number of days from now. */
  sign(input: { planId: string; personId: string; name: string; email: string; itemKeys: string[] }): { token: string; link: AnswerLink } {
    const iat = Math.floor(this.now().getTime() / 1000);
    const claims: Claims = {
      plan: input.planId,
      sub: input.personId,
      name: input.name,
      email: input.email,
      items: [...new Set(input.itemKeys)],
      jti: randomUUID(),
      iat,
      exp: iat + this.days * 86_400,
    };
    const token = jwt.sign(claims, this.secret, { algorithm: ALGORITHM, issuer: ISSUER, noTimestamp: false });
    return { token, link: linkOf(claims) };
  }

  /** The link a token stands for, or why it is refused (a bad signature, shape or issuer is `invalid`). */
  verify(token: string): LinkCheck {
    try {
      const claims = jwt.verify(token, this.secret, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        clockTimestamp: Math.floor(this.now().getTime() / 1000),
      });
      if (!isClaims(claims)) return { ok: false, why: 'invalid' };
      return { ok: true, link: linkOf(claims) };
    } catch (err) {
      return { ok: false, why: err instanceof jwt.TokenExpiredError ? 'expired' : 'invalid' };
    }
  }
}

function isClaims(c: unknown): c is Claims {
  if (typeof c !== 'object' || c === null) return false;
  const o = c as Record<string, unknown>;
  return (
    typeof o.plan === 'string' &&
    typeof o.sub === 'string' &&
    typeof o.name === 'string' &&
    typeof o.email === 'string' &&
    typeof o.jti === 'string' &&
    typeof o.iat === 'number' &&
    typeof o.exp === 'number' &&
    Array.isArray(o.items) &&
    o.items.length > 0 &&
    o.items.every((i) => typeof i === 'string')
  );
}

function linkOf(c: Claims): AnswerLink {
  return {
    id: c.jti,
    planId: c.plan,
    personId: c.sub,
    name: c.name,
    email: c.email,
    itemKeys: c.items,
    issuedAt: new Date(c.iat * 1000).toISOString(),
    expiresAt: new Date(c.exp * 1000).toISOString(),
  };
}
