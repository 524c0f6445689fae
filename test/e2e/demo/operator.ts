// What an operator does during the browser tests, through the control plane's public HTTP API only:
// a console session as the demo admin, then reads and If-Match writes on strategies.
import { client } from '../../../demo/seed.js';

export const ADMIN = { username: 'admin', password: 'finch-demo' };

interface StrategyRow { id: number; status: string; resourceId: number }
interface ResourceRow { id: number; version: string }

export async function operator(origin: string) {
  const api = client(origin);
  const cookie = await api.login(ADMIN.username, ADMIN.password);

  const list = async <T>(path: string): Promise<T[]> => {
    const body = (await api.call('GET', path, { cookie })) as unknown;
    if (Array.isArray(body)) return body as T[];
    // Lists come wrapped, like `{ "resources": [...] }`.
    const items = Object.values(body as Record<string, unknown>).find(Array.isArray);
    if (items) return items as T[];
    throw new Error(`GET ${path}: expected a list, got ${JSON.stringify(body).slice(0, 200)}`);
  };

  /** The resource id of `product@version`. */
  async function resourceId(product: string, version: string): Promise<number> {
    const found = (await list<ResourceRow>(`/products/${product}/resources`)).find((r) => r.version === version);
    if (!found) throw new Error(`no resource ${product}@${version}`);
    return found.id;
  }

  /** Sets the status of the strategy that targets `product@version` (read its ETag, then PATCH with If-Match). */
  async function setStrategyStatus(product: string, version: string, status: 'off' | 'gray' | 'full'): Promise<void> {
    const rid = await resourceId(product, version);
    const strategy = (await list<StrategyRow>(`/products/${product}/strategies`)).find((s) => s.resourceId === rid);
    if (!strategy) throw new Error(`no strategy for ${product}@${version}`);
    const { headers } = (await api.call('GET', `/strategies/${strategy.id}`, { cookie, withHeaders: true })) as { headers: Headers };
    const etag = headers.get('etag');
    if (etag === null) throw new Error(`GET /strategies/${strategy.id} sent no ETag`);
    await api.call('PATCH', `/strategies/${strategy.id}`, { cookie, headers: { 'if-match': etag }, body: { status } });
  }

  return { resourceId, setStrategyStatus };
}
