import type { FinchError } from '../core/FinchError.js';
import type { Manifest } from '../core/manifest.js';
import { manifestKey } from '../core/protocol.js';
import type { StoredManifest } from '../core/protocol.js';
import type { UrlPolicy } from '../core/url/urlSafety.js';
import { validatePageManifest } from '../core/validateManifest.js';
import { chooseSource } from './chooseSource.js';
import type { Emitter } from './createEmitter.js';
import { fetchManifest } from './fetchManifest.js';
import type { Fetch } from './fetchManifest.js';
import type { FinchStore } from './FinchStore.js';
import { decideRetry } from './retryDecision.js';
import type { FinchSource } from './types.js';

export interface SessionSettings {
  fetch: Fetch;
  endpoint: string;
  products: string[];
  timeoutMs: number;
  maxStaleMs: number;
  now: () => number;
  policy: UrlPolicy;
  store: FinchStore;
  emit: Emitter['emit'];
  fail: (error: unknown) => void;
  /** Hears each new manifest a refresh stored (a login's manifest goes its own way). */
  refreshed(manifest: Manifest): Promise<unknown>;
}

export interface Session {
  /** Starts the user's session, ending the one before; returns its generation. */
  start(userId: string, attributes: Record<string, unknown>): number;
  /** Logout: forgets the user and their stored manifest; resolves with the new generation. */
  end(): Promise<number>;
  /** False once a later login or logout started: whatever an older step found belongs to another user. */
  isCurrent(generation: number): boolean;
  /** The manifest login settles on, and where it came from; undefined when a later login or logout came first. */
  find(generation: number): Promise<{ source: FinchSource; manifest: Manifest | null } | undefined>;
  /** Asks the control plane again. Never rejects: failures are `error` events and schedule the retry. */
  refresh(): Promise<void>;
  /**
   * The refresh after a login served from the store: a task after `loadsSettled` settles, so a repeat
   * visit mounts with no request to the control plane in front of it, and the host's own
   * `await load(); mount()` runs first.
   */
  refreshAfter(generation: number, loadsSettled: () => Promise<unknown>): Promise<void>;
}

const nextTask = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve));

/**
 * The user's manifest over time: stored copy, control plane, back-off. Every login and logout starts a
 * new generation, and any step that finds its generation gone drops what it found, so an answer for
 * the previous user never lands in the next one's session.
 */
export function createSession(settings: SessionSettings): Session {
  const { now, store, emit, fail, maxStaleMs } = settings;
  let generation = 0;
  let userId: string | undefined;
  let attributes: Record<string, unknown> = {};
  let stored: StoredManifest | null = null;
  /** 401/403: asking again cannot help until the next login. */
  let stoppedUntilLogin = false;
  let failing = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const isCurrent = (candidate: number): boolean => candidate === generation;

  /** The user's stored manifest if it still passes today's checks (storage can be old or tampered with). */
  async function readStored(user: string): Promise<StoredManifest | null> {
    const saved = (await store.get(manifestKey(user))) as StoredManifest | undefined;
    try {
      return saved ? { ...saved, manifest: validatePageManifest(saved.manifest, settings.policy) } : null;
    } catch {
      return null;
    }
  }

  /** One round with the control plane; true when it gave a usable manifest (200 or 304), now in `stored`. */
  async function ask(asking: number): Promise<boolean> {
    const user = userId!;
    try {
      const answer = await fetchManifest(
        settings.fetch,
        settings.endpoint,
        { userId: user, products: settings.products, attributes },
        stored?.etag,
        settings.timeoutMs,
        settings.policy,
      );
      if (!isCurrent(asking)) return false;
      attempt = 0;
      stored = answer.manifest ? { manifest: answer.manifest, storedAt: now(), etag: answer.etag } : { ...stored!, storedAt: now() };
      await store.set(manifestKey(user), stored);
      if (!isCurrent(asking)) return false;
      if (failing) emit('recovered', { userId: user });
      failing = false;
      if (answer.manifest) emit('update', answer.manifest);
      return true;
    } catch (error) {
      if (!isCurrent(asking)) return false;
      const { code, details } = error as FinchError;
      const next = decideRetry(code, attempt, details?.retryAfter as string | null, now());
      if (next === 'next-login') stoppedUntilLogin = true;
      else if (next !== 'next-refresh') {
        attempt++;
        retryTimer = setTimeout(refresh, next);
      }
      failing = true;
      fail(error);
      return false;
    }
  }

  async function refresh(): Promise<void> {
    if (userId === undefined || stoppedUntilLogin) return;
    clearTimeout(retryTimer);
    try {
      if (await ask(generation)) await settings.refreshed(stored!.manifest);
    } catch (error) {
      fail(error);
    }
  }

  return {
    start(user, attributesOfUser) {
      clearTimeout(retryTimer);
      userId = user;
      attributes = attributesOfUser;
      stored = null;
      stoppedUntilLogin = false;
      attempt = 0;
      return ++generation;
    },
    async end() {
      const ended = ++generation;
      const user = userId;
      clearTimeout(retryTimer);
      userId = undefined;
      stored = null;
      if (user !== undefined) await store.del(manifestKey(user));
      return ended;
    },
    isCurrent,
    async find(finding) {
      const saved = await readStored(userId!);
      if (!isCurrent(finding)) return;
      stored = saved;
      const age = saved && { ageMs: now() - saved.storedAt, ttlMs: saved.manifest.ttlSeconds * 1000 };
      let source = chooseSource(age, undefined, maxStaleMs);
      if (source === 'ask') {
        const answered = await ask(finding);
        if (!isCurrent(finding)) return;
        source = chooseSource(age, answered, maxStaleMs);
      }
      return { source, manifest: source === 'none' ? null : stored!.manifest };
    },
    refresh,
    async refreshAfter(refreshing, loadsSettled) {
      await nextTask();
      await loadsSettled();
      await nextTask();
      if (isCurrent(refreshing)) await refresh();
    },
  };
}
