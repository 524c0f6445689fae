/**
 * The product a legacy CI call names by `projectId`: its numeric id (a number or a numeric string, as
 * the previous system's scripts send it) or its name. A numeric value is an id first; a product whose
 * name is all digits is found when no product has that id.
 */
import { isFinchError } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import { findProductById, getProduct, type Product } from '../store/products.js';

const NUMERIC_ID = /^[1-9][0-9]{0,8}$/;

export async function productOfProject(q: Queryable, projectId: string | number): Promise<Product> {
  const text = String(projectId);
  if (NUMERIC_ID.test(text)) {
    const byId = await findProductById(q, Number(text));
    if (byId !== null) return byId;
  }
  return getProduct(q, text);
}

/**
 * The product's name for a publish guard; null when there is none (the guard lets the call say 404).
 * Any other failure propagates: a guard must never pass because its lookup broke.
 */
export async function productNameOfProject(q: Queryable, projectId: string | number): Promise<string | null> {
  return productOfProject(q, projectId).then(
    (p) => p.name,
    (err: unknown) => {
      if (isFinchError(err) && err.code === 'not-found') return null;
      throw err;
    },
  );
}
