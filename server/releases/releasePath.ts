/**
 * Turns the raw (still percent-encoded) path after `/releases/{product}/{id}/` into safe path segments,
 * or null. Works on the raw URL on purpose: a router that decodes `%2f` into `/` or `%2e%2e` into `..`
 * before we look would let a request climb out of the release.
 */
export function releaseSegments(rawRest: string): string[] | null {
  if (rawRest === '' || rawRest.length > 2048) return null;
  // Encoded separators and backslashes never name a file we stored (uploads refuse them too).
  if (/%2f|%5c|\\/i.test(rawRest)) return null;
  const segments: string[] = [];
  for (const raw of rawRest.split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg === '' || seg === '.' || seg === '..' || /[\u0000-\u001f\u007f/\\]/.test(seg)) return null;
    segments.push(seg);
  }
  return segments;
}
