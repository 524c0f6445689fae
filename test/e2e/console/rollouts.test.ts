// The console's rollout pages in Chromium against the demo, with the server's rollout engine ticking
// every 100 ms: an operator finds a rollout from the product page, reads stage 1 of 3 and its guard, and
// pauses, resumes and aborts it with confirmed clicks (the API agrees after each); a viewer sees no
// button, and watches another operator's command and the engine's promotion arrive by themselves; an
// operator starts a rollout with the form, where the server's refusal names the field, and an address
// naming no rollout says so. Every page is checked with axe and must log no errors and ask no other
// origin. The tests share one demo, in order.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { client } from '../../../demo/seed.js';
import { demoInBrowser } from '../demo/demoInBrowser.js';
import { ADMIN } from '../demo/operator.js';
import { clean, expectAccessible, openConsolePage, screenshots, signInToConsole, spotless } from './consolePage.js';

const VIEWER = { username: 'rita', password: 'rita-only-watches' };
const WHOLE_PAGE = { fullPage: true, fitsNarrow: true };

interface Rollout { id: number; state: string; stageIndex: number; decision: { reason: string } }
interface Resource { id: number; version: string }

const stage = demoInBrowser('finch-console-rollouts-');
let api: ReturnType<typeof client>;
let cookie: string;

beforeAll(async () => {
  // A fast engine, so a stage whose hold is over moves on at once: the demo again, on its data and port.
  // (The demo's guards count unsigned reports, one user each, so this test's reports reach them.)
  await stage.restart({ FINCH_ROLLOUT_TICK_MS: '100' });
  api = client(stage.demo.url);
  cookie = await api.login(ADMIN.username, ADMIN.password);
});

const call = <T>(method: string, path: string, body?: unknown) => api.call(method, path, { cookie, body }) as Promise<T>;
const resourceId = async (product: string, version: string) =>
  (await call<{ resources: Resource[] }>('GET', `/products/${product}/resources`)).resources.find((r) => r.version === version)!.id;
const stateOf = async (id: number) => (await call<Rollout>('GET', `/rollouts/${id}`)).state;
const startRollout = async (product: string, version: string, plan: Record<string, unknown>) =>
  call<Rollout>('POST', '/rollouts', { product, resourceId: await resourceId(product, version), ...plan });

async function go(page: Page, path: string, heading: string | RegExp): Promise<void> {
  await page.evaluate((p) => { location.hash = `#${p}`; }, path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Confirms `command` in its dialog, after checking that the dialog says `outcome`, and waits for `done`. */
async function confirm(page: Page, command: string, id: number, outcome: string, done: string): Promise<void> {
  await page.getByRole('button', { name: command, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `${command} rollout #${id}?` });
  await dialog.getByText(outcome).waitFor();
  await dialog.getByRole('button', { name: command, exact: true }).click();
  await page.getByRole('status').getByText(`Rollout #${id} ${done}.`).waitFor();
}

const commandButtons = (page: Page) => page.locator('main').getByRole('button', { name: /^(Pause|Resume|Advance|Abort|Start rollout)$/ });
const buttonNames = (page: Page) => commandButtons(page).allTextContents();

describe('console: staged rollouts', () => {
  test('an operator opens the rollout from the product page, and pauses, resumes and aborts it', async () => {
    const rollout = await startRollout('dashboard', '2.0.0', {
      stages: [{ percent: 1, holdSeconds: 600 }, { percent: 10, holdSeconds: 600 }, { percent: 50, holdSeconds: 600 }],
      guard: { minExposures: 1000, maxFallbackRate: 0.02, maxErrorRate: 0.05, compareToStable: true },
      onBreach: 'pause',
    });
    const w = await openConsolePage(stage);
    const { page } = w;
    await signInToConsole(stage, page, ADMIN);
    await go(page, '/products/dashboard', 'dashboard');
    await page.getByRole('link', { name: 'Staged rollouts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rollouts of dashboard' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Products' }).and(page.locator('[aria-current="page"]')).waitFor();
    const row = page.locator(`tr[data-rollout="${rollout.id}"]`);
    expect(await row.locator('[data-state]').textContent()).toBe('running');
    expect(await row.textContent()).toContain('2.0.0');
    expect(await row.textContent()).toContain('Stage 1 of 3: 1% of users');
    expect(await row.textContent()).toContain('Started at stage 1 of 3 (1%).');
    await expectAccessible(page);
    await screenshots(page, 'console-rollouts', WHOLE_PAGE);

    await row.getByRole('link', { name: `Rollout #${rollout.id}` }).click();
    await page.getByRole('heading', { level: 1, name: `Rollout #${rollout.id}: dashboard 2.0.0` }).waitFor();
    expect(await page.getByTestId('stage').textContent()).toBe('Stage 1 of 3: 1% of users');
    expect(await page.getByTestId('reason').textContent()).toBe('Started at stage 1 of 3 (1%).');
    // The hold counts down on screen between loads.
    const hold = page.getByTestId('hold');
    const first = await hold.textContent();
    expect(first).toMatch(/^Hold: (9 min \d+ s|10 min) left\.$/);
    await expect.poll(() => hold.textContent(), { timeout: 5_000 }).not.toBe(first);
    const steps = page.locator('.rollout-step');
    expect(await steps.allTextContents()).toEqual([
      expect.stringMatching(/^Stage 1\s*current\s*1% of users\s*hold 10 min$/),
      expect.stringMatching(/^Stage 2\s*to come\s*10% of users\s*hold 10 min$/),
      expect.stringMatching(/^Stage 3\s*to come\s*50% of users\s*hold 10 min$/),
      expect.stringMatching(/^Full\s*to come\s*everyone: 2\.0\.0 becomes the full build/),
    ]);
    // The guard's limits; no decision of the guard yet, so no figures.
    expect(await page.locator('tr[data-figure="exposures"]').textContent()).toBe('Exposed usersat least 1,000——');
    expect(await page.locator('tr[data-figure="fallbackRate"]').textContent()).toBe('Fallback rateat most 2%——');
    await page.getByText('No guard decision yet').waitFor();
    await page.getByRole('figure', { name: 'Exposures' }).waitFor();
    expect(await buttonNames(page)).toEqual(['Pause', 'Advance', 'Abort']);
    await expectAccessible(page);

    await confirm(page, 'Pause', rollout.id, '1% of users keep getting 2.0.0; nobody else gets it until the rollout is resumed.', 'paused');
    expect(await stateOf(rollout.id)).toBe('paused');
    await expect.poll(() => buttonNames(page)).toEqual(['Resume', 'Advance', 'Abort']);
    expect(await page.locator('.rollout-status [data-state]').textContent()).toBe('paused');
    expect(await hold.textContent()).toMatch(/^Paused: nobody new gets the build/);

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expectAccessible(page);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await confirm(page, 'Resume', rollout.id, '1% of users keep getting 2.0.0. The stage\'s hold (10 min) and its guard window start again now.', 'resumed');
    expect(await stateOf(rollout.id)).toBe('running');
    await expect.poll(() => buttonNames(page)).toEqual(['Pause', 'Advance', 'Abort']);

    await confirm(page, 'Abort', rollout.id, 'The rollout\'s users get 1.0.0 again: its gray strategy of 2.0.0 turns off', 'aborted');
    expect(await stateOf(rollout.id)).toBe('aborted');
    await expect.poll(() => buttonNames(page)).toEqual([]);
    await page.getByText('Aborted: the rollout\'s users are back on the stable build.').waitFor();
    expect(await steps.first().textContent()).toMatch(/^Stage 1\s*stopped here/);
    await expectAccessible(page);
    spotless(w);
  });

  test('a viewer sees no button, and the page follows another operator\'s pause and the engine\'s promotion', async () => {
    await call('POST', '/users', { ...VIEWER, role: 'viewer' });
    const rollout = await startRollout('dashboard', '2.0.0', { stages: [{ percent: 5, holdSeconds: 3600 }, { percent: 20, holdSeconds: 0 }] });
    const w = await openConsolePage(stage);
    const { page } = w;
    await signInToConsole(stage, page, VIEWER);
    await go(page, '/products/dashboard/rollouts', 'Rollouts of dashboard');
    await page.locator(`tr[data-rollout="${rollout.id}"]`).waitFor();
    expect(await buttonNames(page)).toEqual([]);
    await expectAccessible(page);

    await go(page, `/rollouts/${rollout.id}`, `Rollout #${rollout.id}: dashboard 2.0.0`);
    expect(await page.getByTestId('stage').textContent()).toBe('Stage 1 of 2: 5% of users');
    expect(await buttonNames(page)).toEqual([]);
    await page.getByText('No guard: stages advance on their hold time and checks alone.').waitFor();
    await expectAccessible(page);

    // Another operator pauses it: the viewer's page shows it without a reload.
    await call('POST', `/rollouts/${rollout.id}/pause`, {});
    await expect.poll(() => page.locator('.rollout-status [data-state]').textContent(), { timeout: 15_000 }).toBe('paused');
    // Then advances it to its last stage, which holds 0 s: the engine promotes the build by itself.
    await call('POST', `/rollouts/${rollout.id}/advance`, {});
    await expect.poll(() => page.locator('.rollout-status [data-state]').textContent(), { timeout: 15_000 }).toBe('completed');
    expect(await page.getByTestId('reason').textContent()).toMatch(/^Stage 2 of 2 \(20%\) held 0 s\./);
    await page.getByText('Completed: 2.0.0 is the full build.').waitFor();
    expect(await stateOf(rollout.id)).toBe('completed');
    expect(await buttonNames(page)).toEqual([]);
    await expectAccessible(page);
    spotless(w);
  });

  test('a guard breach pauses the rollout, and the page shows its figures beside the limits', async () => {
    const rollout = await startRollout('header', '1.1.0', {
      stages: [{ percent: 10, holdSeconds: 0 }, { percent: 50, holdSeconds: 0 }],
      guard: { minExposures: 3, maxFallbackRate: 0.1, maxErrorRate: 0.5, compareToStable: false },
      onBreach: 'pause',
    });
    const w = await openConsolePage(stage);
    const { page } = w;
    await signInToConsole(stage, page, ADMIN);
    await go(page, `/rollouts/${rollout.id}`, `Rollout #${rollout.id}: header 1.1.0`);
    // Holding no time, the stage waits for the guard's three users.
    expect(await page.getByTestId('stage').textContent()).toBe('Stage 1 of 2: 10% of users');

    const gray = await resourceId('header', '1.1.0');
    const reports = [
      ...Array.from({ length: 3 }, () => ({ resourceId: gray, product: 'header', kind: 'exposure' })),
      ...Array.from({ length: 2 }, () => ({ resourceId: gray, product: 'header', kind: 'load-error', url: '/releases/header/main.js' })),
    ];
    const sent = await fetch(`${stage.demo.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reports) });
    expect(sent.status).toBe(202);

    // Reports are written within the buffer's 5 s flush, then the engine judges and pauses.
    await expect.poll(() => page.locator('.rollout-status [data-state]').textContent(), { timeout: 30_000 }).toBe('paused');
    expect(await stateOf(rollout.id)).toBe('paused');
    expect(await page.getByTestId('reason').textContent()).toMatch(/^Guard breached: the gray build's fallback rate is 66\.67%/);
    const cells = (figure: string) => page.locator(`tr[data-figure="${figure}"] td`).allTextContents();
    expect((await cells('exposures')).slice(0, 2)).toEqual(['at least 3', '3 within the limit']);
    expect((await cells('fallbackRate')).slice(0, 2)).toEqual(['at most 10%', '66.67% (2) above the limit']);
    expect((await cells('errorRate')).slice(0, 2)).toEqual(['at most 50%', '0% (0) within the limit']);
    await page.getByText('Counted in distinct users; 5 of them are unsigned reports, one user each').waitFor();
    await page.getByText('On a breach the rollout pauses; an operator resumes or aborts it.').waitFor();
    // The same reports on the charts, gray beside stable.
    await expect.poll(() => page.getByRole('figure', { name: /^Fallbacks/ }).getByText('Totals:').textContent(), { timeout: 15_000 })
      .toBe('Totals: 1.0.0 (stable): 0 · 1.1.0 (gray): 2.');
    await expectAccessible(page);
    await screenshots(page, 'console-rollout', WHOLE_PAGE);
    await call('POST', `/rollouts/${rollout.id}/abort`, {});
    spotless(w);
  });

  test('an operator starts a rollout with the form; the field the server refuses is named and marked', async () => {
    const w = await openConsolePage(stage);
    const { page } = w;
    await signInToConsole(stage, page, ADMIN);
    await go(page, '/products/dashboard/rollouts', 'Rollouts of dashboard');
    await page.getByRole('button', { name: 'Start rollout' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a rollout of dashboard' });
    // 2.0.0 is full now: what is left to roll out is 1.0.0.
    expect(await dialog.getByLabel('Build').locator('option').allTextContents()).toEqual(['1.0.0']);
    const stages = dialog.getByLabel('Stages (percent:hold)');

    await stages.fill('1:10m, ten');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await dialog.getByText('Stage 2 ("ten") is not percent:hold, like 10:30m.').waitFor();
    expect(await stages.getAttribute('aria-invalid')).toBe('true');

    await stages.fill('50:60, 10:60');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await dialog.getByRole('alert').getByText('Some input is not valid.').waitFor();
    await dialog.getByText('Refused field: stages[1].percent').waitFor();
    expect(await stages.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await screenshots(page, 'console-rollout-start');

    await stages.fill('1:10m, 10:30m');
    await dialog.getByLabel('Pause').check();
    await dialog.getByLabel('Highest error rate (%)').fill('3');
    await dialog.getByLabel('Minimum exposed users').fill('');
    await dialog.getByRole('button', { name: 'Start' }).click();
    const heading = page.getByRole('heading', { level: 1, name: /^Rollout #\d+: dashboard 1\.0\.0$/ });
    await heading.waitFor();
    const id = Number(/#(\d+)/.exec((await heading.textContent()) ?? '')![1]);
    expect(await page.getByTestId('stage').textContent()).toBe('Stage 1 of 2: 1% of users');
    const created = await call<{ plan: Record<string, unknown> }>('GET', `/rollouts/${id}`);
    expect(created.plan).toMatchObject({
      stages: [{ percent: 1, holdSeconds: 600 }, { percent: 10, holdSeconds: 1800 }],
      onBreach: 'pause',
      // The minimum left empty: the server's default.
      guard: { minExposures: 10, maxFallbackRate: 0.02, maxErrorRate: 0.03, compareToStable: true, tolerance: 0.01 },
    });
    await call('POST', `/rollouts/${id}/abort`, {});

    // A rollout that does not exist, and an address that names none, say so (the rollout page's second
    // visit in this tab: its module is loaded already).
    await go(page, '/rollouts/999999', 'Rollout #999999');
    await page.getByRole('alert').getByText('It does not exist (any more).').waitFor();
    await go(page, '/rollouts/latest', 'Rollout #latest');
    await page.getByRole('alert').getByText('Some input is not valid.').waitFor();
    await expectAccessible(page);
    // The plan's 400 and these two are the refused calls (a page reloaded by a revision change while it
    // shows may ask again): nothing else was refused.
    expect(w.refused.length).toBeGreaterThanOrEqual(3);
    for (const m of w.refused) expect(m).toMatch(/status of (400|404)\b/);
    clean(w);
  });
});
