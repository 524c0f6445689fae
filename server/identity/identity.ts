/**
 * Who the user of a getConsoleVersion request is (docs/manifest.md). `param` believes the request;
 * `header:<name>` believes a gateway's header; `jwt` believes a verified token. In the proving modes the
 * request's own userId is never used (spoofed user, docs/failures.md): with no proof the user is anonymous (null).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { FinchError, type RuleValue } from '../../core/index.js';
import type { IdentityConfig } from '../config.js';
import { MAX_USER_ID } from '../model/limits.js';
import { parseCookies } from './cookies.js';

export interface Identity {
  userId: string | null;
  /** `claim.<name>` attributes from a verified JWT. */
  claims: Record<string, RuleValue>;
}

/** Synchronous where no proof has to be checked (param, header), so the hot path awaits nothing. */
export type IdentifyUser = (headers: IncomingHttpHeaders, requestedUserId: string | null) => Identity | Promise<Identity>;

const NO_CLAIMS: Record<string, RuleValue> = Object.freeze({}) as Record<string, RuleValue>;

export function createIdentify(config: IdentityConfig): IdentifyUser {
  switch (config.mode) {
    case 'param':
      return (_headers, requested) => ({ userId: requested, claims: NO_CLAIMS });
    case 'header': {
      const name = config.header;
      return (headers) => {
        const raw = headers[name];
        const value = Array.isArray(raw) ? raw[0] : raw;
        const userId = value === undefined || value.trim() === '' ? null : value.trim().slice(0, MAX_USER_ID);
        return { userId, claims: NO_CLAIMS };
      };
    }
    case 'jwt': {
      const key: Uint8Array | JWTVerifyGetKey = config.secret !== null
        ? new TextEncoder().encode(config.secret)
        : createRemoteJWKSet(new URL(config.jwksUrl ?? ''));
      const options = verifyOptions(config);
      const cookie = config.cookie;
      return async (headers) => {
        const token = bearer(headers.authorization) ?? parseCookies(headers.cookie).get(cookie) ?? null;
        if (token === null) return { userId: null, claims: NO_CLAIMS };
        let payload: JWTPayload;
        try {
          // Two calls because jwtVerify's overloads take a key or a key getter, not their union.
          payload = typeof key === 'function'
            ? (await jwtVerify(token, key, options)).payload
            : (await jwtVerify(token, key, options)).payload;
        } catch (err) {
          throw new FinchError('unauthorized', `Failed to verify the identity token: ${(err as { code?: string }).code ?? 'invalid'}. Sign in again.`);
        }
        const claims: Record<string, RuleValue> = {};
        for (const [k, v] of Object.entries(payload)) {
          if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') claims[`claim.${k}`] = v;
        }
        const sub = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub.slice(0, MAX_USER_ID) : null;
        return { userId: sub, claims };
      };
    }
  }
}

/**
 * What a token must satisfy besides its signature: the configured issuer, audience and age, and an
 * `exp` unless turned off (a stolen token without one would work forever). A shared secret only ever
 * signs HS256; with a JWKS the keys' own algorithms apply (never "none").
 */
function verifyOptions(config: Extract<IdentityConfig, { mode: 'jwt' }>): JWTVerifyOptions {
  return {
    ...(config.secret !== null ? { algorithms: ['HS256'] } : {}),
    ...(config.issuer !== null ? { issuer: config.issuer } : {}),
    ...(config.audience !== null ? { audience: config.audience } : {}),
    ...(config.maxAgeSeconds !== null ? { maxTokenAge: config.maxAgeSeconds } : {}),
    ...(config.requireExp ? { requiredClaims: ['exp'] } : {}),
  };
}

function bearer(header: string | undefined): string | null {
  if (header === undefined || !/^bearer /i.test(header)) return null;
  const value = header.slice(7).trim();
  // Finch API tokens are for the auth plugin, not user identity.
  if (value === '' || value.startsWith('finch_')) return null;
  return value;
}
