/**
 * The credential the server leaves for the `finch` command on its own machine is admin over loopback
 * and nothing from anywhere else: a copy of the file is no key from the network.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disableLocalAdmin, enableLocalAdmin } from '../../../server/auth/localAdmin.js';
import { createLocation, startServer, type TestLocation, type TestServer } from '../harness.js';

describe('the local admin credential', () => {
  let loc: TestLocation;
  let s: TestServer;
  let bearer = '';

  beforeAll(async () => {
    loc = await createLocation('pglite');
    s = await startServer(loc, { tokens: false });
    bearer = enableLocalAdmin();
  });
  afterAll(async () => {
    disableLocalAdmin();
    await s?.close();
    await loc?.dispose();
  });

  const create = (remoteAddress: string) => s.inject({
    method: 'POST', url: '/api/v1/tokens', remoteAddress,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ name: `from-${remoteAddress}`, scopes: ['publish'] }),
  });

  test.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])('from %s it is admin', async (address) => {
    expect((await create(address)).statusCode).toBe(201);
  });

  test.each(['10.0.0.5', '192.168.1.20', '2001:db8::1'])('from %s it is refused and nothing is made', async (address) => {
    const r = await create(address);
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('unauthorized');
    const made = await s.deps.db.query('SELECT 1 FROM api_tokens WHERE name = $1', [`from-${address}`]);
    expect(made.rows).toHaveLength(0);
  });
});
