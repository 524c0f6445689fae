/**
 * True when `bytes` match one of the SRI hashes in `integrity` (`sha384-…`, space separated, as in the
 * HTML attribute). Unknown algorithms never match, so a typo fails closed; so do the empty tokens that
 * spaces at either end leave.
 */
export async function matchesIntegrity(bytes: ArrayBuffer, integrity: string): Promise<boolean> {
  for (const token of integrity.split(/\s+/)) {
    const m = /^sha(256|384|512)-([A-Za-z0-9+/=]+)/.exec(token);
    if (!m) continue;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-' + m[1], bytes));
    if (btoa(String.fromCharCode(...digest)) === m[2]) return true;
  }
  return false;
}
