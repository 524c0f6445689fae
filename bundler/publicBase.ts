/**
 * Where a build's own code looks for its chunks and assets. Finch serves a build from a versioned
 * place (`/releases/<product>/<id>/`) and, while the service worker controls the page, also from the
 * virtual `/apps/<product>/`; only URLs relative to the build's own script work from both.
 */
import { FinchError } from '../core/FinchError.js';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** A URL that names one place for every copy of the build: a path from the origin's root, or another origin. */
export function isAbsoluteBase(base: string): boolean {
  return base.startsWith('/') || SCHEME.test(base);
}

/**
 * The error for a base that pins the build to one place.
 * @param setting the option as the user wrote it, like `base` or `output.publicPath`.
 * @param fix what to set instead.
 */
export function absoluteBaseError(plugin: string, setting: string, base: string, fix: string): FinchError {
  return new FinchError('invalid-input', `Failed to build for Finch (${plugin}): ${setting} is ${JSON.stringify(base)}, an absolute URL. Finch serves each build from its own versioned folder, so chunks and assets at ${JSON.stringify(base)} load only while Finch's service worker controls the page; without it (first visit, worker off, another browser) they 404. ${fix}`, { setting, base });
}
