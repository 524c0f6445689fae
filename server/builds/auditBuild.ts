/** The audit row of a change to a build: `resource.<verb>` on `resource:<id>`, filed under its product. */
import type { Queryable } from '../db/Db.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import type { Resource } from '../store/resources.js';

export function auditBuild<A extends Resource>(q: Queryable, by: AuditActor, verb: 'create' | 'update' | 'upload', change: { before?: Resource; after: A }): Promise<void> {
  const { after } = change;
  return writeAudit(q, { ...by, action: `resource.${verb}`, target: `resource:${after.id}`, product: after.product, ...change });
}
