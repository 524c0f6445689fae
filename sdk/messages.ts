import type { FinchErrorCode } from '../core/FinchError.js';

type Details = Readonly<Record<string, unknown>>;

const manifestAnswered = (details: Details): string => `Failed to fetch the manifest: the control plane answered HTTP ${details.status}`;

/**
 * The long text of every error the SDK raises, keyed by code and written from the error's `details`.
 * Read only behind `DEV` (sdk/sdkError.ts), so the browser bundles drop this table whole.
 */
export const MESSAGES: Partial<Record<FinchErrorCode, (details: Details) => string>> = {
  'network-error': (details) =>
    details.status
      ? `${manifestAnswered(details)}. Finch keeps the last good manifest and asks again with back-off.`
      : `Failed to fetch the manifest: ${String(details.cause)}. Finch keeps the last good manifest and asks again with back-off.`,
  timeout: () => 'Failed to fetch the manifest: no answer within `timeoutMs`. Finch goes on with the last good manifest and asks again with back-off.',
  'rate-limited': (details) => `${manifestAnswered(details)}. Finch asks again after the Retry-After the server named.`,
  unauthorized: (details) => `${manifestAnswered(details)}. Finch asks again at the next login; check the user's session or token.`,
  forbidden: (details) => `${manifestAnswered(details)}. Finch asks again at the next login; check what this user may read.`,
  'not-found': (details) => `${manifestAnswered(details)}. Check the \`endpoint\` option: it names the API base, e.g. /api/v1.`,
  'invalid-input': (details) => `${manifestAnswered(details)}. Check the products and attributes sent to login().`,
  'invalid-manifest': (details) =>
    `Failed to read the manifest: ${(details.cause as Error | undefined)?.message}. The stored manifest stays; check what the endpoint answers.`,
  'storage-error': () => 'Failed to use IndexedDB: Finch keeps manifests in memory for this page.',
  'load-error': (details) => `Failed to load ${details.url}: the file did not load. Check that the build is deployed at its baseUrl.`,
  'integrity-error': (details) =>
    `Failed to load ${details.url}: its bytes do not match the manifest's integrity hash. Publish the build again or fix its hashes.`,
  'worker-unavailable': (details) =>
    `Failed to register or update the service worker ${details.url}: ${String(details.cause)}. Builds load from their baseUrl meanwhile; check that the worker's URL serves JavaScript from this origin.`,
  internal: (details) => `Failed in a hook, a listener or Finch itself: ${String(details.cause)}. The SDK keeps its last good state; details.cause holds the original error.`,
};
