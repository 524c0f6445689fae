// Shared pieces of the SDK tests: manifests, a control plane made with msw, a page to put files in,
// event waiting.
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import { beforeEach } from 'vitest';
import type { Manifest, ManifestBuild, ManifestEntry } from '../../core/manifest.js';
import { assembleFinch } from '../../sdk/createFinch.js';
import type { InsertElement } from '../../sdk/injectFile.js';
import type { Finch, FinchEvents, FinchOptions } from '../../sdk/types.js';

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

/** A client that also says when its background work (registration, refreshes, report sends) is done. */
export type TestFinch = Finch & { settled(): Promise<void> };

const noFiles: InsertElement = () => {
  throw new Error('this test loads no files');
};

/** `createFinch` with the page seam of the test (`fakeHead().insert`, or none) and `settled()` beside it. */
export function startFinch(options: FinchOptions, insert: InsertElement = noFiles): TestFinch {
  const { finch, settled } = assembleFinch(options, insert);
  return Object.assign(finch, { settled });
}

export interface FakeHead {
  /** Where the SDK's files go instead of the document's head. */
  box: HTMLElement;
  /** URLs whose element answers `error` instead of `load`. */
  failing: Set<string>;
  /** The `src`/`href` of every element inserted so far, in order. */
  urls(): string[];
  /** The page seam: puts the element in `box`, then answers `load` (or `error`) once the SDK listens. */
  insert: InsertElement;
  /** Replaces `insert` for one test (hold files, answer in another order). */
  insertWith(insert: InsertElement): void;
}

/** The URL an element loads. */
export const urlOf = (element: Element): string => element.getAttribute('src') ?? element.getAttribute('href') ?? '';

/**
 * A page for the SDK's files: happy-dom would try to fetch and run what lands in the real head, so
 * elements go into a detached box and answer `load`, or `error` for URLs in `failing`, in a microtask
 * (after the SDK's listeners are set, never on the clock). Call at the top level of a test file.
 */
export function fakeHead(): FakeHead {
  let insert: InsertElement;
  const head: FakeHead = {
    box: document.createElement('div'),
    failing: new Set(),
    urls: () => [...head.box.children].map(urlOf),
    insert: (element) => insert(element),
    insertWith: (other) => void (insert = other),
  };
  beforeEach(() => {
    head.box = document.createElement('div');
    head.failing = new Set();
    insert = (element) => {
      head.box.append(element);
      queueMicrotask(() => element.dispatchEvent(new Event(head.failing.has(urlOf(element)) ? 'error' : 'load')));
    };
  });
  return head;
}
