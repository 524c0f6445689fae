/**
 * The `resource_ci` table: what the previous system's CI scripts said about a build (their `data`
 * blob, commit message, GitLab project, channel), kept as sent beside the resource it describes.
 */
import type { Queryable } from '../db/Db.js';

export interface BuildCiRecord {
  /** The scripts' JSON description of the build's files, as an opaque string. */
  data: string | null;
  commitMessage: string | null;
  gitProjectId: string | null;
  channel: string | null;
}

export async function insertCiRecord(q: Queryable, resourceId: number, r: BuildCiRecord): Promise<void> {
  await q.query(
    'INSERT INTO resource_ci (resource_id, data, commit_message, git_project_id, channel) VALUES ($1, $2, $3, $4, $5)',
    [resourceId, r.data, r.commitMessage, r.gitProjectId, r.channel],
  );
}

/** The records of these builds, by resource id; builds registered otherwise have none. */
export async function ciRecordsOf(q: Queryable, resourceIds: readonly number[]): Promise<Map<number, BuildCiRecord>> {
  const found = new Map<number, BuildCiRecord>();
  if (resourceIds.length === 0) return found;
  const r = await q.query<Record<string, unknown>>(
    // The ids as one JSON array: both drivers pass text the same way, arrays differently.
    `SELECT resource_id, data, commit_message, git_project_id, channel FROM resource_ci
      WHERE resource_id IN (SELECT jsonb_array_elements_text($1::jsonb)::int)`,
    [JSON.stringify(resourceIds)],
  );
  for (const row of r.rows) {
    found.set(Number(row['resource_id']), {
      data: (row['data'] as string | null) ?? null,
      commitMessage: (row['commit_message'] as string | null) ?? null,
      gitProjectId: (row['git_project_id'] as string | null) ?? null,
      channel: (row['channel'] as string | null) ?? null,
    });
  }
  return found;
}
