// Development builds explain every error the SDK raises; the browser bundles carry the code instead
// (test/sdk/size.test.ts checks that the text is gone from them).
import { expect, test } from 'vitest';
import type { FinchErrorCode } from '../../core/FinchError.js';
import { MESSAGES } from '../../sdk/messages.js';
import { sdkError } from '../../sdk/sdkError.js';

const cause = new TypeError('Failed to fetch');

test.each<[FinchErrorCode, Record<string, unknown>, RegExp]>([
  ['network-error', { status: 503 }, /HTTP 503.*back-off/],
  ['network-error', { status: 0, cause }, /TypeError: Failed to fetch.*back-off/],
  ['timeout', { status: 0, cause }, /no answer within `timeoutMs`/],
  ['rate-limited', { status: 429, retryAfter: '5' }, /HTTP 429.*Retry-After/],
  ['unauthorized', { status: 401 }, /HTTP 401.*next login/],
  ['forbidden', { status: 403 }, /HTTP 403.*next login/],
  ['not-found', { status: 404 }, /HTTP 404.*`endpoint`/],
  ['invalid-input', { status: 400 }, /HTTP 400/],
  ['invalid-manifest', { status: 200, cause: new SyntaxError('Unexpected end of JSON input') }, /Unexpected end of JSON input/],
  ['storage-error', { cause }, /IndexedDB.*memory/],
  ['load-error', { url: '/releases/a/1/main.js' }, /\/releases\/a\/1\/main\.js/],
  ['integrity-error', { url: '/releases/a/1/main.js' }, /\/releases\/a\/1\/main\.js.*integrity/],
  ['worker-unavailable', { url: '/finch-sw.js', cause }, /\/finch-sw\.js: TypeError: Failed to fetch/],
  ['internal', { cause: new Error('mount failed') }, /mount failed/],
])('%s: "Failed to …", from the details', (code, details, text) => {
  const error = sdkError(code, details);
  expect(error).toMatchObject({ name: 'FinchError', code, details });
  expect(error.message).toMatch(/^Failed (to|in) /);
  expect(error.message).toMatch(text);
});

test('a code without a message keeps the code as its message', () => {
  expect(MESSAGES['data-dir-locked']).toBeUndefined();
  expect(sdkError('data-dir-locked', {}).message).toBe('data-dir-locked');
});
