/**
 * Seeds a fresh Finch data dir with the bench fixture, run as its own process before the server starts
 * (PGlite allows one process per data dir). It goes through the server's own store seam: `openDb`
 * (which applies the migrations), one transaction, `bumpRevision`; the rows are inserted with SQL in
 * bulk because 2,000 API writes, each followed by a snapshot reload, would take minutes. Ids are the
 * fixture's, so the bench can cross-check the server's answers against core's resolver.
 *
 * Usage: node --import tsx test/bench/seedStore.ts <dataDir> <products> <strategiesPerProduct> <userIds> <nowMs>
 * With DATABASE_URL set it seeds that (empty) PostgreSQL database instead of a PGlite data dir.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildFixture } from './fixture.js';
import { rootPath } from './finchModules.js';

type OpenDb = typeof import('../../server/db/openDb.js');
type Revision = typeof import('../../server/store/revision.js');

async function serverModule<T>(rel: string): Promise<T> {
  const built = rootPath(`dist/node/server/${rel}.js`);
  if (existsSync(built)) return (await import(pathToFileURL(built).href)) as T;
  return (await import(pathToFileURL(rootPath(`server/${rel}.ts`)).href)) as T;
}

async function main(): Promise<void> {
  const [dataDir, products, strategies, userIds, now] = process.argv.slice(2);
  if (!dataDir || !products || !strategies || !userIds || !now) throw new Error('usage: seedStore.ts <dataDir> <products> <strategies> <userIds> <nowMs>');
  const fixture = buildFixture({ products: Number(products), strategiesPerProduct: Number(strategies), userIds: Number(userIds), now: Number(now) });
  const { openDb } = await serverModule<OpenDb>('db/openDb');
  const { bumpRevision } = await serverModule<Revision>('store/revision');
  const t0 = performance.now();
  const db = await openDb({ dataDir, databaseUrl: process.env['DATABASE_URL'] || null });
  try {
    const productIds = new Map(fixture.input.products.map((p) => [p.name, p.id]));
    await db.tx(async (q) => {
      await q.query(
        `INSERT INTO products (id, name) SELECT id, name FROM jsonb_to_recordset($1::jsonb) AS x(id int, name text)`,
        [JSON.stringify(fixture.input.products)],
      );
      await q.query(
        `INSERT INTO resources (id, product_id, version, status, base_url, files, integrity, config, dependencies)
         SELECT id, product_id, version, status, base_url, files, integrity, config, dependencies
           FROM jsonb_to_recordset($1::jsonb)
             AS x(id int, product_id int, version text, status text, base_url text, files jsonb, integrity jsonb, config jsonb, dependencies jsonb)`,
        [JSON.stringify(fixture.input.resources.map((r) => ({ ...r, product_id: productIds.get(r.product), base_url: r.baseUrl })))],
      );
      await q.query(
        `INSERT INTO strategies (id, product_id, resource_id, status, priority, rule, salt, starts_at, ends_at, updated_at)
         SELECT id, product_id, resource_id, status, priority, rule, salt,
                to_timestamp(starts_at / 1000.0), to_timestamp(ends_at / 1000.0), to_timestamp(updated_at / 1000.0)
           FROM jsonb_to_recordset($1::jsonb)
             AS x(id int, product_id int, resource_id int, status text, priority int, rule jsonb, salt text,
                  starts_at float8, ends_at float8, updated_at float8)`,
        [
          JSON.stringify(
            fixture.input.strategies.map((s) => ({
              id: s.id,
              product_id: productIds.get(s.product),
              resource_id: s.resourceId,
              status: s.status,
              priority: s.priority,
              rule: s.rule,
              salt: s.salt,
              starts_at: s.startsAt,
              ends_at: s.endsAt,
              updated_at: s.updatedAt,
            })),
          ),
        ],
      );
      // Explicit ids leave the sequences behind; later API writes must not collide with them.
      for (const t of ['products', 'resources', 'strategies']) {
        await q.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
      }
      await bumpRevision(q);
    });
  } finally {
    await db.close();
  }
  console.log(`seeded ${fixture.input.strategies.length} strategies in ${Math.round(performance.now() - t0)} ms`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
