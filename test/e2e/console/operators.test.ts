// The console's operator pages in Chromium against the demo, driven as a person would (labels, buttons,
// the keyboard): who gets what (and how it follows a change live), charts of reports, the audit log,
// users and API tokens. Every page is checked with axe, and every page must log no errors and make no
// request to another origin. The tests share one demo and run in order: later ones see earlier changes.
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { demoInBrowser } from '../demo/demoInBrowser.js';
import { ADMIN, operator } from '../demo/operator.js';
import { clean, expectAccessible, openConsolePage, screenshots, signInToConsole } from './consolePage.js';

const VIEWER = { username: 'vera', password: 'vera-reads-only' };
const NEW_PASSWORD = 'vera-second-password';

const stage = demoInBrowser('finch-console-operators-');
const openPage = () => openConsolePage(stage);
const signIn = (page: Page, who: { username: string; password: string }) => signInToConsole(stage, page, who);

async function go(page: Page, path: string, heading: string | RegExp): Promise<void> {
  await page.evaluate((p) => { location.hash = `#${p}`; }, path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** The who-gets-what table's build for `product`. */
function buildOf(page: Page, product: string) {
  return page.locator(`tr[data-product="${product}"] td[data-version]`);
}

describe('the console\'s operator pages', () => {
  test('who gets what: alice gets dashboard 2.0.0 by her gray strategy, bob 1.0.0, and a change shows without reload', async () => {
    const w = await openPage();
    const { page } = w;
    await signIn(page, ADMIN);
    await go(page, '/who', 'Who gets what');

    await page.getByLabel('User id').fill('alice');
    await page.getByRole('button', { name: 'Show builds' }).click();
    await expect.poll(() => buildOf(page, 'dashboard').getAttribute('data-version')).toBe('2.0.0');
    const why = page.locator('tr[data-product="dashboard"]');
    await expect.poll(() => why.textContent()).toMatch(/Gray strategy #\d+ matched: alice\..*falls back to 1\.0\.0/);
    expect(await buildOf(page, 'header').getAttribute('data-version')).toBe('1.0.0');
    await expectAccessible(page);
    await screenshots(page, 'console-who');

    await page.getByLabel('User id').fill('bob');
    await page.getByRole('button', { name: 'Show builds' }).click();
    await expect.poll(() => buildOf(page, 'dashboard').getAttribute('data-version')).toBe('1.0.0');
    expect(await page.locator('tr[data-product="dashboard"]').textContent()).toMatch(/No gray strategy matched: the full build of strategy #\d+/);

    // An attribute row: group beta gets header 1.1.0.
    await page.getByLabel('Name', { exact: true }).fill('group');
    await page.getByLabel('Value', { exact: true }).fill('beta');
    await page.getByRole('button', { name: 'Show builds' }).click();
    await expect.poll(() => buildOf(page, 'header').getAttribute('data-version')).toBe('1.1.0');

    // Live: alice again, then another operator turns her gray strategy off through the API.
    await page.getByRole('button', { name: 'Remove attribute 1' }).click();
    await page.getByLabel('User id').fill('alice');
    await page.getByRole('button', { name: 'Show builds' }).click();
    await expect.poll(() => buildOf(page, 'dashboard').getAttribute('data-version')).toBe('2.0.0');
    const ops = await operator(stage.demo.url);
    await ops.setStrategyStatus('dashboard', '2.0.0', 'off');
    await expect.poll(() => buildOf(page, 'dashboard').getAttribute('data-version'), { timeout: 15_000 }).toBe('1.0.0');
    await ops.setStrategyStatus('dashboard', '2.0.0', 'gray');
    await expect.poll(() => buildOf(page, 'dashboard').getAttribute('data-version'), { timeout: 15_000 }).toBe('2.0.0');

    // The same answer in Chinese, the rule in Chinese words too.
    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('heading', { level: 1, name: '谁拿到什么' }).waitFor();
    expect(await page.locator('tr[data-product="dashboard"]').textContent()).toMatch(/命中灰度策略 #\d+：alice。/);
    // No screenshot: machines without CJK fonts would draw boxes.
    await expectAccessible(page);
    clean(w);
  });

  test('charts: reports of both builds are drawn by uPlot, whose code loads only on the charts page', async () => {
    const ops = await operator(stage.demo.url);
    const stable = await ops.resourceId('dashboard', '1.0.0');
    const gray = await ops.resourceId('dashboard', '2.0.0');
    const reports = [
      ...Array.from({ length: 5 }, () => ({ resourceId: stable, product: 'dashboard', kind: 'exposure' })),
      ...Array.from({ length: 3 }, () => ({ resourceId: gray, product: 'dashboard', kind: 'exposure' })),
      { resourceId: gray, product: 'dashboard', kind: 'load-error', url: '/releases/dashboard/main.js' },
    ];
    const sent = await fetch(`${stage.demo.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reports) });
    expect(sent.status).toBe(202);

    const w = await openPage();
    const { page } = w;
    await signIn(page, ADMIN);
    await go(page, '/who', 'Who gets what');
    await go(page, '/products/header/charts', 'Reports of header over time');
    await page.getByText('No reports for header in this time range.').waitFor();
    const beforeCharts = new Set(w.scripts);

    await page.getByLabel('Product').selectOption('dashboard');
    await page.getByRole('heading', { level: 1, name: 'Reports of dashboard over time' }).waitFor();
    await expect.poll(() => page.locator('.uplot canvas').count()).toBe(2);
    // Exposures and fallbacks have reports; runtime errors have none and say so.
    const exposures = page.getByRole('figure', { name: 'Exposures' });
    expect(await exposures.getByText('Totals:').textContent()).toBe('Totals: 1.0.0 (stable): 5 · 2.0.0 (gray): 3.');
    expect(await page.getByRole('figure', { name: /Fallbacks/ }).getByText('Totals:').textContent()).toBe('Totals: 1.0.0 (stable): 0 · 2.0.0 (gray): 1.');
    await page.getByRole('figure', { name: 'Runtime errors' }).getByText('None in this time range.').waitFor();
    // The same numbers for assistive technology, in the figure's table.
    const cells = await exposures.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
    expect(cells.reduce((sum, [a = 0, b = 0]) => [sum[0]! + a, sum[1]! + b], [0, 0])).toEqual([5, 3]);

    // uPlot came in a chunk fetched for this page only.
    const chunks = w.scripts.filter((s) => !beforeCharts.has(s));
    const bodies = await Promise.all(chunks.map(async (s) => ({ s, text: await (await fetch(s)).text() })));
    const uplotChunk = bodies.find((b) => b.text.includes('u-legend'));
    expect(uplotChunk, `uPlot's code among ${chunks.join(', ')}`).toBeDefined();
    for (const s of beforeCharts) expect(await (await fetch(s)).text()).not.toContain('u-legend');

    await page.getByLabel('Last 24 hours').check();
    await expect.poll(() => page.url()).toContain('range=24h');
    await expect.poll(() => page.locator('.uplot canvas').count()).toBe(2);
    await page.getByLabel('Last hour').check();
    await expect.poll(() => page.locator('.uplot canvas').count()).toBe(2);
    await expectAccessible(page);
    await screenshots(page, 'console-charts');
    clean(w);
  });

  test('audit: the strategy change is there, and the filters by who and by product work', async () => {
    const w = await openPage();
    const { page } = w;
    await signIn(page, ADMIN);
    await go(page, '/audit', 'Audit log');
    await page.locator('tr[data-action]').first().waitFor();

    await page.getByLabel('Who', { exact: true }).fill('user:admin');
    await page.getByLabel('Product').selectOption('dashboard');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.poll(() => page.url()).toContain('actor=user%3Aadmin');
    const rows = page.locator('tr[data-action]');
    await expect.poll(async () => (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')))).filter((a) => a === 'strategy.update').length).toBe(2);
    const products = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[3]?.textContent));
    expect(new Set(products)).toEqual(new Set(['dashboard']));
    // Newest first: gray again, after off.
    const updates = page.locator('tr[data-action="strategy.update"]');
    expect(await updates.nth(0).textContent()).toContain('status: off → gray');
    expect(await updates.nth(1).textContent()).toContain('status: gray → off');
    await updates.nth(1).getByText('Details').click();
    await updates.nth(1).locator('pre').first().waitFor();
    await expectAccessible(page);
    await screenshots(page, 'console-audit');

    // Nobody else changed anything.
    await page.getByLabel('Who', { exact: true }).fill('user:nobody');
    await page.getByLabel('Who', { exact: true }).press('Enter');
    await page.getByText('No entries match.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await rows.first().waitFor();

    // Paging: ten at a time, older ones appended, none twice, newest first throughout.
    await page.getByLabel('Per page').selectOption('10');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.poll(() => page.url()).toContain('limit=10');
    await expect.poll(() => rows.count()).toBe(10);
    await page.getByRole('button', { name: 'Show older entries' }).click();
    // The demo's seeding alone wrote more than ten entries.
    await expect.poll(() => rows.count()).toBeGreaterThan(10);
    const ids = await page.locator('tr[data-entry-id]').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-entry-id'))));
    expect(ids.length).toBeLessThanOrEqual(20);
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => b - a));
    clean(w);
  });

  test('users: an admin adds a viewer, who sees no admin page and no button to change anything; the last admin stays', async () => {
    const w = await openPage();
    const { page } = w;
    await signIn(page, ADMIN);
    await go(page, '/users', 'Users');
    await page.getByLabel('Username').fill(VIEWER.username);
    await page.getByLabel('Password', { exact: true }).fill(VIEWER.password);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('status').getByText(`User ${VIEWER.username} added.`).waitFor();
    expect(await page.getByLabel(`Role of ${VIEWER.username}`).inputValue()).toBe('viewer');

    // A role change takes effect at once; back to viewer for the checks below.
    await page.getByLabel(`Role of ${VIEWER.username}`).selectOption('operator');
    await page.getByRole('status').getByText(`${VIEWER.username} is now operator.`).waitFor();
    await page.getByLabel(`Role of ${VIEWER.username}`).selectOption('viewer');
    await page.getByRole('status').getByText(`${VIEWER.username} is now viewer.`).waitFor();

    // A new password, typed in the dialog and sent with Enter; the viewer signs in with it below.
    await page.getByRole('button', { name: `New password for ${VIEWER.username}` }).click();
    const reset = page.getByRole('dialog', { name: `New password for ${VIEWER.username}` });
    await reset.getByLabel('New password').fill(NEW_PASSWORD);
    await reset.getByLabel('New password').press('Enter');
    await page.getByRole('status').getByText(`Password of ${VIEWER.username} changed`).waitFor();

    // Deleting the only admin is refused by the server (409), and the page says why.
    await page.getByRole('button', { name: 'Delete admin' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete admin?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alert').getByText('admin is the last admin: make another user admin first.').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('last admin');
    await expectAccessible(page);
    await screenshots(page, 'console-users');
    clean(w);

    const v = await openPage();
    await signIn(v.page, { username: VIEWER.username, password: NEW_PASSWORD });
    const nav = v.page.getByRole('navigation', { name: 'Main' });
    const links = await nav.getByRole('link').allTextContents();
    expect(links).toEqual(expect.arrayContaining(['Products', 'Who gets what', 'Charts']));
    for (const adminOnly of ['Audit log', 'Users', 'API tokens']) expect(links).not.toContain(adminOnly);
    for (const [path, heading] of [['/users', 'Users'], ['/tokens', 'API tokens'], ['/audit', 'Audit log']] as const) {
      await go(v.page, path, 'This page is for admins. Ask an admin if you need it.');
      expect(await v.page.getByRole('heading', { name: heading, exact: true }).count()).toBe(0);
      // The header's own: the language switch and signing out; nothing that changes the control plane.
      expect(await v.page.getByRole('main').getByRole('button').count()).toBe(0);
    }
    await go(v.page, '/who', 'Who gets what');
    await expectAccessible(v.page);
    clean(v);
  });

  test('tokens: the secret is shown once, works as a Bearer token, and is refused once revoked', async () => {
    const w = await openPage();
    const { page } = w;
    await signIn(page, ADMIN);
    await go(page, '/tokens', 'API tokens');
    await page.getByLabel('Name', { exact: true }).fill('ci-console');
    const some = page.getByRole('group', { name: 'Publish builds of these products:' });
    await some.getByLabel('dashboard').check();
    await page.getByRole('button', { name: 'Create token' }).click();

    const dialog = page.getByRole('dialog', { name: 'Token ci-console created' });
    await dialog.waitFor();
    const secret = await dialog.getByLabel('Secret').inputValue();
    expect(secret).toMatch(/^finch_\d+_\S+$/);
    await dialog.getByText('it is shown only this once').waitFor();
    await expectAccessible(page);
    await screenshots(page, 'console-token-secret');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'ci-console' }) });
    expect(await row.textContent()).toContain('publish:dashboard');

    const asToken = () => fetch(`${stage.demo.url}/api/v1/session`, { headers: { authorization: `Bearer ${secret}` } });
    const who = await asToken();
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({ kind: 'token', name: 'ci-console', scopes: ['publish:dashboard'] });

    await row.getByRole('button', { name: 'Revoke ci-console' }).click();
    await page.getByRole('dialog', { name: 'Revoke ci-console?' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('status').getByText('Token ci-console revoked.').waitFor();
    expect((await asToken()).status).toBe(403);
    await expectAccessible(page);
    await screenshots(page, 'console-tokens');
    clean(w);
  });
});
