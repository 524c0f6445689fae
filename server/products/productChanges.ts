/**
 * Creating, changing and deleting products, each in one transaction with its audit row. They run
 * through `change` because a product's name and existence are part of every manifest.
 */
import type { ServerDeps } from '../deps.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import { deleteProduct, getProduct, insertProduct, updateProduct, type Product } from '../store/products.js';

type Writer = Pick<ServerDeps, 'change'>;

export function createProduct(deps: Writer, input: { name: string; description?: string }, by: AuditActor): Promise<Product> {
  const { name } = input;
  return deps.change(async (q) => {
    const created = await insertProduct(q, name, input.description ?? '');
    await writeAudit(q, { ...by, action: 'product.create', target: `product:${name}`, product: name, after: created });
    return created;
  });
}

export function changeProduct(deps: Writer, name: string, input: { description?: string }, by: AuditActor): Promise<Product> {
  return deps.change(async (q) => {
    const before = await getProduct(q, name, true);
    const after = await updateProduct(q, before.id, input.description ?? null);
    await writeAudit(q, { ...by, action: 'product.update', target: `product:${name}`, product: name, before, after });
    return after;
  });
}

/** Deletes a product with its resources and strategies; the audit row counts what went. */
export function removeProduct(deps: Writer, name: string, by: AuditActor): Promise<void> {
  return deps.change(async (q) => {
    const before = await getProduct(q, name, true);
    const counts = await deleteProduct(q, before.id);
    await writeAudit(q, { ...by, action: 'product.delete', target: `product:${name}`, product: name, before: { ...before, ...counts } });
  });
}
