import { describe, expect, test } from 'vitest';
import { compileRule } from '../../core/index.js';

const at = (cidrs: string[], ip: string | null): boolean => compileRule({ ip: cidrs }, { salt: 's' })({ userId: null, ip, attributes: {} });

describe('ip rule', () => {
  test.each([
    // IPv4
    [['10.0.0.0/8'], '10.1.2.3', true],
    [['10.0.0.0/8'], '11.1.2.3', false],
    [['10.0.0.0/8'], '9.255.255.255', false],
    [['192.168.1.0/24'], '192.168.1.255', true],
    [['192.168.1.0/24'], '192.168.2.0', false],
    [['192.168.1.128/25'], '192.168.1.127', false],
    [['192.168.1.128/25'], '192.168.1.128', true],
    [['203.0.113.7'], '203.0.113.7', true],
    [['203.0.113.7'], '203.0.113.8', false],
    [['203.0.113.7/32'], '203.0.113.7', true],
    [['0.0.0.0/0'], '255.255.255.255', true],
    [['10.1.2.3/8'], '10.200.0.1', true],
    [['255.255.255.255/32'], '255.255.255.255', true],
    [['128.0.0.0/1'], '127.255.255.255', false],
    [['128.0.0.0/1'], '200.0.0.1', true],
    [['10.0.0.0/8', '172.16.0.0/12'], '172.31.255.1', true],
    [['10.0.0.0/8', '172.16.0.0/12'], '172.32.0.1', false],
    // IPv6
    [['2001:db8::/32'], '2001:db8::1', true],
    [['2001:db8::/32'], '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
    [['2001:db8::/32'], '2001:db9::1', false],
    [['2001:DB8::/32'], '2001:0db8:0000::0001', true],
    [['::1/128'], '::1', true],
    [['::1'], '::2', false],
    [['fe80::/10'], 'febf::1', true],
    [['fe80::/10'], 'fec0::1', false],
    [['::/0'], '2606:4700::1111', true],
    // families do not mix, except through IPv4-mapped addresses
    [['10.0.0.0/8'], '2001:db8::1', false],
    [['2001:db8::/32'], '10.1.2.3', false],
    [['10.0.0.0/8'], '::ffff:10.9.8.7', true],
    [['10.0.0.0/8'], '::ffff:a09:807', true],
    [['10.0.0.0/8'], '::ffff:11.9.8.7', false],
    [['::ffff:0:0/96'], '10.9.8.7', true],
    [['::ffff:10.0.0.0/104'], '10.9.8.7', true],
    [['::ffff:10.0.0.0/104'], '::ffff:10.9.8.7', true],
    [['::ffff:10.0.0.0/104'], '11.9.8.7', false],
    [['0.0.0.0/0'], '::1', false],
    [['::/0'], '10.1.2.3', true],
    [['::/64'], '10.1.2.3', true],
    [['::ffff:0:0/96'], '::ffff:1.2.3.4', true],
    [['64:ff9b::/96'], '10.1.2.3', false],
    [['::ffff:10.1.2.3'], '10.1.2.3', true],
    [['::ffff:10.1.2.3'], '10.1.2.4', false],
    // unknown or odd client addresses never match
    [['0.0.0.0/0', '::/0'], null, false],
    [['0.0.0.0/0', '::/0'], '', false],
    [['0.0.0.0/0', '::/0'], 'localhost', false],
    [['0.0.0.0/0', '::/0'], '010.1.2.3', false],
    [['0.0.0.0/0', '::/0'], '10.1', false],
    [['0.0.0.0/0', '::/0'], '0x0a.0.0.1', false],
    [['0.0.0.0/0', '::/0'], 'fe80::1%eth0', false],
    [['0.0.0.0/0', '::/0'], '1.2.3.4 ', false],
    [[], '10.1.2.3', false],
  ])('%j contains %j: %s', (cidrs, ip, want) => {
    expect(at(cidrs, ip)).toBe(want);
  });

  test('alternating addresses do not confuse the parse memo', () => {
    const rule = compileRule({ ip: ['10.0.0.0/8'] }, { salt: 's' });
    const seq = ['10.0.0.1', '11.0.0.1', '10.0.0.1', '::ffff:10.0.0.1', 'x', '10.255.0.0'];
    expect(seq.map((ip) => rule({ userId: null, ip, attributes: {} }))).toEqual([true, false, true, true, false, true]);
  });

  test.each([
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '10.0.0.0/08',
    '10.0.0.0/ 8',
    '256.0.0.0/8',
    '10.0.0/8',
    '010.0.0.0/8',
    '0x0a.0.0.0/8',
    '10.0.0.0.0/8',
    '2001:db8::/129',
    '2001:db8:::/32',
    '2001:db8::g/32',
    'fe80::1%eth0/64',
    'localhost',
    '',
    '/8',
    ' 10.0.0.0/8',
  ])('bad CIDR %j → invalid-rule at $.ip[1]', (cidr) => {
    expect(() => compileRule({ ip: ['10.0.0.0/8', cidr] }, { salt: 's' })).toThrow(expect.objectContaining({ code: 'invalid-rule', details: { path: '$.ip[1]' } }));
  });

  test('a CIDR that is not a string → invalid-rule', () => {
    expect(() => compileRule({ any: [{ ip: [8] }] }, { salt: 's' })).toThrow(expect.objectContaining({ code: 'invalid-rule', details: { path: '$.any[0].ip[0]' } }));
  });
});
