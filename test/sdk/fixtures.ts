// Shared pieces of the SDK tests: manifests, a control plane made with msw, a clock, event waiting.
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import { beforeEach, vi } from 'vitest';
import type { Manifest, ManifestBuild, ManifestEntry } from '../../core/manifest.js';
import type { Finch, FinchEvents } from '../../sdk/types.js';

/** happy-dom's default page URL; relative endpoints resolve against it. */
export const ORIGIN = 'http://localhost:3000';
export const CONSOLE_VERSION = `${ORIGIN}/api/v1/console-version`;
export const REPORTS = `${ORIGIN}/api/v1/reports`;

export function build(product: string, id: number, version: string, extra: Partial<ManifestBuild> = {}): ManifestBuild {
  return { resourceId: id, version, baseUrl: `/releases/${product}/${id}/`, files: ['main.css', 'main.js'], integrity: {}, ...extra };
}

export function entry(product: string, id: number, version: string, extra: Partial<ManifestEntry> = {}): ManifestEntry {
  return { ...build(product, id, version), strategyId: 1, status: 'full', config: {}, dependencies: [], ...extra };
}

/** A gray entry with its full build as fallback. */
export function grayEntry(product: string, id: number, version: string, fallbackId: number, extra: Partial<ManifestEntry> = {}): ManifestEntry {
  return entry(product, id, version, { status: 'gray', strategyId: 2, fallback: build(product, fallbackId, '1.0.0', { files: ['main.js'] }), ...extra });
}

export function manifest(userId: string | null, products: Record<string, ManifestEntry>, extra: Partial<Manifest> = {}): Manifest {
  return { schema: 1, userId, revision: 1, ttlSeconds: 300, serviceWorker: { enabled: true }, products, ...extra };
}

export interface Call {
  body: { userId: string; products: string[]; attributes: Record<string, unknown> };
  ifNoneMatch: string | null;
  credentials: RequestCredentials;
}

/**
 * Routes `POST /api/v1/console-version` to `answer` and records every call. Reports are accepted and
 * recorded too.
 */
export function controlPlane(server: SetupServer, answer: (call: Call) => Response | Promise<Response>): { calls: Call[]; reports: unknown[] } {
  const calls: Call[] = [];
  const reports: unknown[] = [];
  server.use(
    http.post(CONSOLE_VERSION, async ({ request }) => {
      const call: Call = { body: (await request.json()) as Call['body'], ifNoneMatch: request.headers.get('if-none-match'), credentials: request.credentials };
      calls.push(call);
      return answer(call);
    }),
    http.post(REPORTS, async ({ request }) => {
      reports.push(...((await request.json()) as unknown[]));
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return { calls, reports };
}

export function json(m: unknown, etag = '"r1"'): Response {
  return HttpResponse.json(m as object, { headers: { etag } });
}

/** A promise and its resolver, for holding an answer until the test lets it go. */
export function gate<T = void>(): { promise: Promise<T>; open: (v: T) => void } {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}

/** The next `event` of `finch`. */
export function next<K extends keyof FinchEvents>(finch: Finch, event: K): Promise<FinchEvents[K]> {
  return new Promise((resolve) => {
    const off = finch.on(event, (d) => {
      off();
      resolve(d);
    });
  });
}

/** Every `event` of `finch`, collected. */
export function collect<K extends keyof FinchEvents>(finch: Finch, event: K): FinchEvents[K][] {
  const all: FinchEvents[K][] = [];
  finch.on(event, (d) => all.push(d));
  return all;
}

export interface FakeHead {
  /** Where `document.head.append` puts elements instead. */
  box: HTMLElement;
  /** URLs whose element answers `error` instead of `load`. */
  failing: Set<string>;
  /** The `src`/`href` of every element appended so far, in order. */
  urls(): (string | null)[];
}

/**
 * happy-dom would try to fetch and run what lands in the real head, so before each test
 * `document.head.append` puts the elements in a detached box instead, and answers each with `load`, or
 * `error` for URLs in `failing`. Call at the top level of a test file.
 */
export function fakeHead(): FakeHead {
  const head: FakeHead = {
    box: document.createElement('div'),
    failing: new Set(),
    urls: () => [...head.box.children].map((e) => e.getAttribute('src') ?? e.getAttribute('href')),
  };
  beforeEach(() => {
    head.box = document.createElement('div');
    head.failing = new Set();
    vi.spyOn(document.head, 'append').mockImplementation((...nodes) => {
      for (const n of nodes as Element[]) {
        head.box.append(n);
        const url = n.getAttribute('src') ?? n.getAttribute('href') ?? '';
        setTimeout(() => n.dispatchEvent(new Event(head.failing.has(url) ? 'error' : 'load')));
      }
    });
  });
  return head;
}
