import type { Principal } from '../../event-log/principal.js';

/** What the guard knows of the connection a request came over. */
export interface RequestFacts {
  remoteAddress: string | undefined;
  secure: boolean;
  now: Date;
  userAgent?: string;
  referer?: string;
}

/**
 * The global condition keys of a request (lower-cased, as policies are matched), following the
 * IAM reference "AWS global condition context keys". Keys that do not apply are left out, so
 * `Null` and `…IfExists` conditions see them as absent.
 */
export function globalConditionKeys(principal: Principal, facts: RequestFacts): Record<string, string> {
  const keys: Record<string, string> = {
    'aws:currenttime': facts.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:epochtime': String(Math.floor(facts.now.getTime() / 1000)),
    'aws:securetransport': String(facts.secure),
  };
  const ip = sourceIp(facts.remoteAddress);
  if (ip) keys['aws:sourceip'] = ip;
  if (facts.userAgent !== undefined) keys['aws:useragent'] = facts.userAgent;
  if (facts.referer !== undefined) keys['aws:referer'] = facts.referer;
  if (principal.type !== 'anonymous') {
    keys['aws:principalarn'] = principal.arn;
    keys['aws:principalaccount'] = principal.accountId;
    keys['aws:principaltype'] = principal.type === 'root' ? 'Account' : 'User';
    keys['aws:userid'] = principal.type === 'root' ? principal.accountId : (principal.userId ?? '');
  } else {
    keys['aws:principaltype'] = 'Anonymous';
  }
  if (principal.userName !== undefined) keys['aws:username'] = principal.userName;
  return keys;
}

/** IPv4 clients reach a dual-stack socket as ::ffff:a.b.c.d; policies name them as a.b.c.d. */
export function sourceIp(remoteAddress: string | undefined): string | undefined {
  if (!remoteAddress) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  return mapped ? mapped[1] : remoteAddress;
}
