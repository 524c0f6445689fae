/**
 * The previous system's design (nginx + Lua + memcached) loaded with table 1's store: what an operator would put into
 * memcached and nginx's Lua fragments so that nginx + Lua answers getConsoleVersion like Finch does.
 */
import type { ResourceRow, StrategyRow } from '../../core/snapshot.js';
import type { Fixture } from './fixture.js';
import type { NginxFragments } from './nginxLua.js';

// Entries in the key order of core's compileSnapshot, so sizes match byte for byte.
function buildJson(r: ResourceRow): Record<string, unknown> {
  return { resourceId: r.id, version: r.version, baseUrl: r.baseUrl, files: r.files, integrity: r.integrity };
}

function entryJson(s: StrategyRow, r: ResourceRow, full: ResourceRow | null): string {
  const e: Record<string, unknown> = {
    resourceId: r.id,
    version: r.version,
    strategyId: s.id,
    status: s.status,
    baseUrl: r.baseUrl,
    files: r.files,
    integrity: r.integrity,
    config: r.config,
    dependencies: r.dependencies,
  };
  if (full && full.id !== r.id) e['fallback'] = buildJson(full);
  return `${JSON.stringify(s.product)}:${JSON.stringify(e)}`;
}

/**
 * What an operator of the seed design would load into memcached and nginx: per listed user the
 * strategies that differ from the full builds (their list, else a percent bucket they fall in), and the
 * JSON fragment of every answer. Only user lists and percent rules can be decided this way; the
 * attribute and CIDR rules of the fixture never match a request without attributes from 127.0.0.1.
 */
export function seedDesign(
  fixture: Fixture,
  revision: number,
  now: number,
  bucketOf: (salt: string, key: string) => number,
): { fragments: NginxFragments; entries: Array<[string, string]> } {
  const resources = new Map(fixture.input.resources.map((r) => [r.id, r]));
  const products = fixture.productNames;
  const full: string[] = [];
  const byStrategy = new Map<number, string>();
  const lists = new Map<string, string>();
  const percents: Array<{ index: number; id: number; salt: string; threshold: number }> = [];
  products.forEach((name, i) => {
    const rows = fixture.input.strategies.filter((s) => s.product === name && s.status !== 'off');
    const fullRow = rows.find((s) => s.status === 'full')!;
    const fullRes = resources.get(fullRow.resourceId)!;
    full.push(entryJson(fullRow, fullRes, null));
    for (const s of rows.filter((x) => x.status === 'gray').sort((a, b) => b.priority - a.priority || b.updatedAt - a.updatedAt)) {
      if ((s.startsAt !== null && now < s.startsAt) || (s.endsAt !== null && now >= s.endsAt) || s.rule === null) continue;
      byStrategy.set(s.id, entryJson(s, resources.get(s.resourceId)!, fullRes));
      if ('users' in s.rule) {
        for (const u of s.rule.users) {
          const prev = lists.get(u);
          if (!prev?.split(',').some((p) => p.startsWith(`${i + 1}:`))) lists.set(u, prev ? `${prev},${i + 1}:${s.id}` : `${i + 1}:${s.id}`);
        }
      } else if ('percent' in s.rule) {
        percents.push({ index: i + 1, id: s.id, salt: s.salt ?? String(s.id), threshold: s.rule.percent * 100 });
      }
    }
  });
  const entries: Array<[string, string]> = [];
  for (const u of fixture.listedUserIds) {
    const own = lists.get(u) ?? '';
    const taken = new Set(own.split(',').filter(Boolean).map((p) => p.split(':')[0]));
    const extra = percents.filter((p) => !taken.has(String(p.index)) && bucketOf(p.salt, u) < p.threshold).map((p) => `${p.index}:${p.id}`);
    entries.push([`u:${u}`, [own, ...extra].filter(Boolean).join(',')]);
  }
  return {
    fragments: {
      products,
      full,
      byStrategy,
      head: '{"schema":1,"userId":',
      middle: `,"revision":${revision},"ttlSeconds":${fixture.input.ttlSeconds},"serviceWorker":{"enabled":true},"products":{`,
    },
    entries,
  };
}
