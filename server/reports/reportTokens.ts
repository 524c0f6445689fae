/**
 * Report tokens (docs/rollouts.md, "Forged report streams"): each manifest entry of a product under a
 * rollout carries one, and the browser sends it back with every report of that build. A token names the
 * user by a pseudonym and is signed for one product, one build and one UTC day, so the rollout guard can
 * count distinct users the server really answered, and a report stream made up by a client counts for
 * nobody.
 *
 * `<day, base 36>.<user: 16 base64url chars>.<signature: 22 base64url chars>`
 * - user: HMAC-SHA256(secret, "user\0" + user key), first 12 bytes. Stable for a user, never the user id.
 * - signature: HMAC-SHA256(secret, product \0 resourceId \0 user \0 day), first 16 bytes.
 * A token is accepted on its day and the next, so a manifest fetched before midnight keeps counting.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ReportTokens {
  /** The user's pseudonym, the costly half of a token: compute once per request. */
  user(userKey: string): string;
  /** The token for build `resourceId` of `product`, for the user `user()` named, on the day of `now`. */
  issue(product: string, resourceId: number, user: string, now: number): string;
  /** The user a valid token names, or null for a token that is malformed, signed for another build, or stale. */
  verify(token: string, product: string, resourceId: number, now: number): string | null;
}

const DAY_MS = 86_400_000;
const TOKEN = /^([0-9a-z]{1,6})\.([\w-]{16})\.([\w-]{22})$/;

/** Longest token `verify` reads; the report schema refuses longer ones. */
export const MAX_REPORT_TOKEN = 48;

export function createReportTokens(secret: Buffer): ReportTokens {
  const mac = (text: string, bytes: number): string => createHmac('sha256', secret).update(text).digest().subarray(0, bytes).toString('base64url');
  const sign = (product: string, resourceId: number, user: string, day: number): string => mac(`${product}\0${resourceId}\0${user}\0${day}`, 16);
  return {
    user: (userKey) => mac(`user\0${userKey}`, 12),
    issue(product, resourceId, user, now) {
      const day = Math.floor(now / DAY_MS);
      return `${day.toString(36)}.${user}.${sign(product, resourceId, user, day)}`;
    },
    verify(token, product, resourceId, now) {
      const m = TOKEN.exec(token);
      if (m === null) return null;
      const day = parseInt(m[1]!, 36);
      const today = Math.floor(now / DAY_MS);
      if (day !== today && day !== today - 1) return null;
      const user = m[2]!;
      const expected = Buffer.from(sign(product, resourceId, user, day));
      const given = Buffer.from(m[3]!);
      return timingSafeEqual(expected, given) ? user : null;
    },
  };
}
