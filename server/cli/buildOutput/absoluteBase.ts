/**
 * A build made with an absolute base (Vite's default `base: '/'`, or `'/apps/dashboard/'`) names its
 * own files by absolute paths: its lazy chunks, their stylesheets and its images then load from the
 * host's origin, which works only while Finch's worker controls the page, and never with the default
 * `/`. The build's `index.html` shows it; the Finch build manifest means the plugin made it relative.
 */
import type { BuildListing } from './FoundEntries.js';
import { INDEX_HTML, pageTags } from './indexHtml.js';

/** A warning naming the first root-absolute URL of the build's index.html, or null. */
export async function absoluteBaseWarning(build: BuildListing): Promise<string | null> {
  if (!build.files.includes(INDEX_HTML)) return null;
  const absolute = pageTags(await build.readText(INDEX_HTML)).find((tag) => tag.url.startsWith('/') && !tag.url.startsWith('//'));
  if (absolute === undefined) return null;
  return `finch: warning: ${INDEX_HTML} loads ${absolute.url} by an absolute path, so this build was made with an absolute base. `
    + 'Its lazy chunks, their stylesheets and its images will be asked for on the host page\'s origin: they load only while '
    + 'the worker controls the page (never on a first visit). Build with the finch-gray/vite plugin, or with base: \'./\' '
    + '(webpack: finch-gray/webpack, or publicPath: \'auto\').';
}
