/** The `release_files` table: what an upload stored for a build, and the digest that makes it immutable. */
import type { Queryable } from '../db/Db.js';

/** The digest of the files stored for a build; null when nothing was uploaded. */
export async function storedDigest(q: Queryable, resourceId: number): Promise<string | null> {
  const r = await q.query<{ digest: string }>('SELECT digest FROM release_files WHERE resource_id = $1', [resourceId]);
  return r.rows[0]?.digest ?? null;
}

export async function insertReleaseFiles(
  q: Queryable,
  resourceId: number,
  stored: { integrity: Record<string, string>; digest: string; totalBytes: number },
): Promise<void> {
  await q.query(
    'INSERT INTO release_files (resource_id, files, digest, total_bytes) VALUES ($1, $2::jsonb, $3, $4)',
    [resourceId, JSON.stringify(stored.integrity), stored.digest, stored.totalBytes],
  );
}
