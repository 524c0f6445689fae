import { scryptSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { hashPassword, verifyPassword } from '../../../server/auth/password.js';

describe('password hashes', () => {
  test('new hashes verify; a wrong password does not', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h.startsWith('scrypt$8192$8$10$')).toBe(true);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batter', h)).toBe(false);
  });

  test('hashes made with earlier parameters still verify (the parameters are stored with each)', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('old password', salt, 64, { N: 2 ** 15, r: 8, p: 3, maxmem: 256 * 1024 * 1024 });
    const old = ['scrypt', 32768, 8, 3, salt.toString('base64url'), key.toString('base64url')].join('$');
    expect(await verifyPassword('old password', old)).toBe(true);
    expect(await verifyPassword('new password', old)).toBe(false);
  });
});
