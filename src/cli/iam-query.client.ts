import { XMLParser } from 'fast-xml-parser';
import type { SedimentConfig } from '../config/sediment.config.js';
import { buildCanonicalRequest } from '../iam/sigv4/canonical-request.js';
import { deriveSigningKey, sha256Hex, signString } from '../iam/sigv4/signing-key.js';
import { formatAmzDate, SIGV4_ALGORITHM } from '../iam/sigv4/sigv4-common.js';

/** IAM is signed for us-east-1, which the service always accepts for its IAM Query API. */
const IAM_REGION = 'us-east-1';

/** An answer of the IAM Query API: its status and the parsed XML (or the error's code and message). */
export type IamAnswer = { ok: true; body: Record<string, unknown> } | { ok: false; status: number; code: string; message: string };

/**
 * Where the running service listens: SEDIMENT_URL, or the configured SEDIMENT_HOST and
 * SEDIMENT_PORT (a wildcard address is reached over loopback).
 */
export function serviceUrl(config: SedimentConfig, env: Record<string, string | undefined> = process.env): string {
  const explicit = env['SEDIMENT_URL'];
  if (explicit !== undefined && explicit !== '') return explicit.replace(/\/+$/, '');
  const host = ['0.0.0.0', '::', '[::]'].includes(config.SEDIMENT_HOST) ? '127.0.0.1' : config.SEDIMENT_HOST;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.SEDIMENT_PORT}`;
}

/**
 * One IAM Query API call to the running service, SigV4-signed with the bootstrap root credentials
 * of the configuration: the service is the single writer of the identity topic, so operator
 * commands that change identities ask it rather than append themselves.
 */
export async function callIamQuery(config: SedimentConfig, url: string, params: Record<string, string>, now = new Date()): Promise<IamAnswer> {
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  const endpoint = new URL(url);
  const amzDate = formatAmzDate(now);
  const scope = `${amzDate.slice(0, 8)}/${IAM_REGION}/iam/aws4_request`;
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    host: endpoint.host,
    'x-amz-date': amzDate,
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonical = buildCanonicalRequest({ method: 'POST', canonicalUri: '/', canonicalQuery: '', signedHeaders, headers, payloadHash: sha256Hex(body) });
  const stringToSign = [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
  const signature = signString(deriveSigningKey(config.SEDIMENT_ROOT_SECRET_ACCESS_KEY, amzDate.slice(0, 8), IAM_REGION, 'iam'), stringToSign);
  const authorization = `${SIGV4_ALGORITHM} Credential=${config.SEDIMENT_ROOT_ACCESS_KEY_ID}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  const { host: _host, ...sent } = headers;
  const response = await fetch(`${endpoint.origin}/`, { method: 'POST', headers: { ...sent, authorization }, body });
  const parsed = new XMLParser({ parseTagValue: false }).parse(await response.text()) as Record<string, unknown>;
  if (response.ok) return { ok: true, body: parsed };
  const error = (parsed['ErrorResponse'] as { Error?: { Code?: string; Message?: string } } | undefined)?.Error;
  return { ok: false, status: response.status, code: error?.Code ?? `HTTP ${response.status}`, message: error?.Message ?? '' };
}
