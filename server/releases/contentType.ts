import path from 'node:path';

/** What browsers need to run, style and show a front-end build; anything else is a download. */
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
};

/** The Content-Type for a stored file; `application/octet-stream` (with nosniff) for unknown ones. */
export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Types a browser opens as a document that can run script or submit forms when navigated to: HTML,
 * SVG, XML (XHTML inside), and anything unknown. A build needs none of them as a page: SVG still works
 * as an image, which ignores both the disposition and the policy.
 */
const SUBRESOURCE_TYPES = new Set(['.js', '.mjs', '.cjs', '.css', '.json', '.map', '.webmanifest', '.txt', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.ico', '.woff', '.woff2', '.ttf', '.otf', '.wasm', '.mp4', '.webm', '.mp3']);

export function opensAsDocument(file: string): boolean {
  return !SUBRESOURCE_TYPES.has(path.extname(file).toLowerCase());
}
