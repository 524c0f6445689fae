/**
 * The admin commands while `finch serve` runs on the embedded database, all as real processes. Before
 * the data directory was locked, `finch token create` opened a second copy of the database: it printed
 * a token the server never accepted, and the token was gone after a restart. Now it goes through the
 * running server, so the token works at once and after a restart; `finch migrate` refuses and changes
 * nothing; and the server starts on an empty directory in the first place.
 */
import { stat } from 'node:fs/promises';
import { afterAll, describe, expect, test } from 'vitest';
import { readRunningServer, runningServerFile } from '../../../server/cli/runningServer.js';
import { createLocation, type TestLocation } from '../harness.js';
import { spawnServe, type ServeProcess } from '../process.js';
import { runFinch } from './runTs.js';

describe('finch token create and finch migrate while finch serve runs (PGlite)', () => {
  let loc: TestLocation;
  let proc: ServeProcess | null = null;
  afterAll(async () => {
    await proc?.stop();
    await loc?.dispose();
  });

  test('the token works at once and after a restart; migrate refuses and harms nothing', { timeout: 180_000 }, async () => {
    loc = await createLocation('pglite');
    const env = { FINCH_DATA_DIR: loc.dataDir };
    // First start, on an empty data directory.
    proc = await spawnServe(env);
    const serverPid = proc.child.pid!;
    const server = readRunningServer(loc.dataDir);
    expect(server).toMatchObject({ pid: serverPid, url: proc.url });
    expect((await stat(runningServerFile(loc.dataDir))).mode & 0o777).toBe(0o600);

    const created = await runFinch(['token', 'create', '--name', 'ci', '--scope', 'admin', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const token = (JSON.parse(created.stdout) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    const createProduct = await fetch(`${proc.url}/api/v1/products`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'made-by-cli-token' }),
    });
    expect(createProduct.status).toBe(201);

    // Bad input is the server's answer, passed on.
    const badScope = await runFinch(['token', 'create', '--name', 'x', '--scope', 'root'], env);
    expect(badScope.code).toBe(1);
    expect(badScope.stderr).toContain('Failed to read scope "root"');

    // The local credential is a secret: a guess is refused.
    const guess = await fetch(`${proc.url}/api/v1/tokens`, { headers: { authorization: `Bearer finchlocal_${'A'.repeat(43)}` } });
    expect(guess.status).toBe(401);

    const migrate = await runFinch(['migrate'], env);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toContain('it is in use by');
    expect(migrate.stderr).toContain(`pid ${serverPid}`);
    expect(migrate.stderr).toContain('server/main.ts');
    expect(migrate.stderr).toContain('stop the server');

    const listed = await fetch(`${proc.url}/api/v1/products`, { headers: auth });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await listed.json())).toContain('made-by-cli-token');

    expect(await proc.stop()).toBe(0);
    expect(readRunningServer(loc.dataDir)).toBeNull();

    proc = await spawnServe(env);
    const afterRestart = await fetch(`${proc.url}/api/v1/products`, { headers: auth });
    expect(afterRestart.status).toBe(200);
    expect(JSON.stringify(await afterRestart.json())).toContain('made-by-cli-token');
    expect(await proc.stop()).toBe(0);
    proc = null;

    // With no server, the command opens the database itself, as before.
    const direct = await runFinch(['migrate'], env);
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout).toContain('up to date');
  });
});
