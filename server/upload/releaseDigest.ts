import { createHash } from 'node:crypto';

/** One hash of a whole build: its sorted file names with their SRI hashes. Equal digests, equal content. */
export function releaseDigest(integrity: Readonly<Record<string, string>>): string {
  const h = createHash('sha256');
  for (const file of Object.keys(integrity).sort()) h.update(`${file}\u0000${integrity[file]}\n`);
  return `sha256-${h.digest('base64')}`;
}
