/** What a strategy must satisfy before it is stored, whoever writes it. */
import { compileRule, FinchError } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import { productIdOfResource } from '../store/resources.js';

/** Checks a rule the way the resolver will compile it, so a stored rule always compiles. */
export function checkRule(rule: unknown, salt: string | null | undefined): void {
  if (rule === null || rule === undefined) return;
  compileRule(rule, { salt: salt ?? '0' });
}

export function checkWindow(startsAt: string | null, endsAt: string | null): void {
  if (startsAt !== null && endsAt !== null && Date.parse(startsAt) >= Date.parse(endsAt)) {
    throw new FinchError('invalid-input', 'Invalid strategy: "startsAt" must be before "endsAt".');
  }
}

/** The build a strategy serves must exist and belong to the strategy's product. */
export async function checkResource(q: Queryable, resourceId: number, productId: number, product: string): Promise<void> {
  const owner = await productIdOfResource(q, resourceId);
  if (owner === null) throw new FinchError('invalid-input', `Invalid strategy: resource ${resourceId} does not exist.`);
  if (owner !== productId) throw new FinchError('invalid-input', `Invalid strategy: resource ${resourceId} is not a build of "${product}".`);
}
