// The console's products, product and strategy pages in Chromium against the demo, driven as a person
// would: sign in, read who gets what in words, create a strategy with the rule builder, turn a gray
// off and roll back with one confirmed click each, meet a conflicting edit, and see a viewer's
// read-only pages. Every page is checked with axe and must log no errors and ask no other origin.
// The tests share one demo and run in order: later ones see earlier changes.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { client } from '../../../demo/seed.js';
import { bucketOf } from '../../../core/rules/bucket.js';
import { demoInBrowser } from '../demo/demoInBrowser.js';
import { ADMIN } from '../demo/operator.js';
import { clean, expectAccessible, openConsolePage, screenshots, signInToConsole, spotless, type Watched } from './consolePage.js';

const VIEWER = { username: 'victor', password: 'victor-only-looks' };
// Whole pages, and nothing may stick out sideways at the narrow width.
const WHOLE_PAGE = { fullPage: true, fitsNarrow: true };

interface Strategy { id: number; resourceId: number; status: string; priority: number; salt: string | null; rule: unknown; version: number }
interface Resource { id: number; version: string }

const stage = demoInBrowser('finch-console-strategies-');
let cookie: string;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  api = client(stage.demo.url);
  cookie = await api.login(ADMIN.username, ADMIN.password);
});

const call = <T>(method: string, path: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) =>
  api.call(method, path, { cookie, ...opts }) as Promise<T>;
const strategiesOf = async (product: string) => (await call<{ strategies: Strategy[] }>('GET', `/products/${product}/strategies`)).strategies;
const resourcesOf = async (product: string) => (await call<{ resources: Resource[] }>('GET', `/products/${product}/resources`)).resources;
const versionFor = async (userId: string, product: string) =>
  ((await api.call('POST', '/console-version', { body: { products: [product], userId } })) as { products: Record<string, { version: string } | null> }).products[product]?.version;

const openPage = () => openConsolePage(stage);
const signIn = (page: Page, who: { username: string; password: string }) => signInToConsole(stage, page, who);

const card = (page: Page, product: string) => page.getByRole('article', { name: product });

describe('console: products, strategies and the rule builder', () => {
  let admin: Watched;

  test('the products page says what every user gets, in words', async () => {
    admin = await openPage();
    const { page } = admin;
    await signIn(page, ADMIN);
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    await expect.poll(() => card(page, 'dashboard').getByTestId('full').textContent()).toBe('1.0.0');
    expect(await card(page, 'dashboard').getByTestId('gray').textContent()).toBe('2.0.0 for alice');
    expect(await card(page, 'header').getByTestId('full').textContent()).toBe('1.0.0');
    expect(await card(page, 'header').getByTestId('gray').textContent()).toBe('1.1.0 for group = beta');
    await expectAccessible(page);
    await screenshots(page, 'console-products', WHOLE_PAGE);
    spotless(admin);
  });

  test('a strategy made with the form: users, percent and an attribute in an any group', async () => {
    const { page } = admin;
    await card(page, 'dashboard').getByRole('link', { name: 'dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'dashboard' }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'console-product', WHOLE_PAGE);
    await page.getByRole('link', { name: 'New strategy' }).click();
    await page.getByRole('heading', { level: 1, name: 'New strategy for dashboard' }).waitFor();

    await page.getByLabel('Build').selectOption({ label: '2.0.0 (deployed)' });
    await page.getByLabel('Priority', { exact: true }).fill('5');
    // A salt that leaves alice and bob out of the 10%, so what they get below depends on their own strategies only.
    const salt = ['a', 'b', 'c', 'd', 'e', 'f'].find((s) => bucketOf(s, 'alice') >= 1000 && bucketOf(s, 'bob') >= 1000)!;
    await page.getByLabel('Salt').fill(salt);
    await page.getByLabel('Rule type').selectOption({ label: 'any of (or)' });
    await page.getByRole('button', { name: 'Change', exact: true }).click();
    await page.getByLabel('User ids').fill('carol, dave\nerin');
    await page.getByText('3 users').waitFor();
    await page.getByLabel('Kind of condition to add').selectOption({ label: 'percentage of users' });
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Percentage (0–100, steps of 0.01)').fill('10');
    await page.getByLabel('Percentage (0–100, steps of 0.01)').press('Tab');
    await page.getByLabel('Kind of condition to add').selectOption({ label: 'attribute' });
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Attribute', { exact: true }).fill('group');
    await page.getByLabel('Operator').selectOption('in');
    await page.getByLabel('Values (comma-separated)').fill('beta, staff');
    const words = 'any of: carol and 2 more; 10% of users; group in beta, staff';
    await page.getByText(`In words: ${words}`).waitFor();

    // The JSON view shows the same rule; an invalid edit there is refused and changes nothing.
    await page.getByRole('button', { name: 'Edit as JSON' }).click();
    const json = page.getByLabel('Rule as JSON');
    expect(JSON.parse(await json.inputValue())).toEqual({ any: [{ users: ['carol', 'dave', 'erin'] }, { percent: 10 }, { attr: 'group', op: 'in', values: ['beta', 'staff'] }] });
    await json.fill('{"any": [');
    await page.getByRole('alert').getByText(/^Not applied:/).waitFor();
    await page.getByText(`In words: ${words}`).waitFor();
    await page.getByRole('button', { name: 'Hide JSON' }).click();
    await expectAccessible(page);
    await screenshots(page, 'console-strategy-editor', WHOLE_PAGE);

    await page.getByRole('button', { name: 'Create strategy' }).click();
    await page.getByRole('heading', { level: 1, name: 'dashboard' }).waitFor();
    await page.getByRole('cell', { name: words, exact: true }).waitFor();
    const v2 = (await resourcesOf('dashboard')).find((r) => r.version === '2.0.0')!.id;
    const created = (await strategiesOf('dashboard')).find((s) => s.resourceId === v2 && s.priority === 5);
    expect(created).toMatchObject({ status: 'gray', salt, rule: { any: [{ users: ['carol', 'dave', 'erin'] }, { percent: 10 }, { attr: 'group', op: 'in', values: ['beta', 'staff'] }] } });
    expect(await versionFor('dave', 'dashboard')).toBe('2.0.0');
    clean(admin);
  });

  test("alice's gray turned off with one confirmed click: she gets the full build", async () => {
    const { page } = admin;
    expect(await versionFor('alice', 'dashboard')).toBe('2.0.0');
    await page.getByRole('button', { name: /^Turn off strategy \d+ \(alice\)$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Turn off the gray rollout of 2.0.0?' });
    await dialog.getByText('alice will get 1.0.0 (the full build).').waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Turn off' }).click();
    await page.getByRole('status').getByText(/^Strategy \d+ turned off\.$/).waitFor();
    expect(await versionFor('alice', 'dashboard')).toBe('1.0.0');
    expect(await page.getByRole('button', { name: /\(alice\)$/ }).count()).toBe(0);
    spotless(admin);
  });

  test("another operator's change shows by itself, and rolling back is one confirmed click", async () => {
    const { page } = admin;
    // Behind the page's back: make 2.0.0 full through the API (1.0.0's strategy is remembered).
    const v2 = (await resourcesOf('dashboard')).find((r) => r.version === '2.0.0')!.id;
    const mine = (await strategiesOf('dashboard')).find((s) => s.resourceId === v2 && s.priority === 5)!;
    const { headers } = (await api.call('GET', `/strategies/${mine.id}`, { cookie, withHeaders: true })) as { headers: Headers };
    await call('PATCH', `/strategies/${mine.id}`, { body: { status: 'full' }, headers: { 'If-Match': headers.get('etag')! } });
    await page.locator(`tr[data-strategy="${mine.id}"]`).getByText('full', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Roll back' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back dashboard?' });
    await dialog.getByText('Everyone will get 1.0.0 (the full build before 2.0.0).').waitFor();
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await page.getByRole('status').getByText('Rolled back: 1 strategies turned off; the full build is 1.0.0.').waitFor();
    expect(await versionFor('bob', 'dashboard')).toBe('1.0.0');
    clean(admin);
  });

  test('a conflicting edit is refused and shown; my change goes on top of theirs', async () => {
    const { page } = admin;
    const gray = (await strategiesOf('header')).find((s) => s.status === 'gray')!;
    await page.goto(`${stage.demo.url}/console/#/strategies/${gray.id}`);
    await page.getByRole('heading', { level: 1, name: `Strategy #${gray.id} of header` }).waitFor();
    await page.getByLabel('Priority', { exact: true }).fill('7');

    // Someone else saves first.
    const { headers } = (await api.call('GET', `/strategies/${gray.id}`, { cookie, withHeaders: true })) as { headers: Headers };
    await call('PATCH', `/strategies/${gray.id}`, { body: { priority: 3, salt: 'their-salt' }, headers: { 'If-Match': headers.get('etag')! } });

    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed this strategy' });
    await conflict.waitFor();
    const row = conflict.locator('tr[data-field="priority"]');
    expect(await row.locator('.theirs').textContent()).toBe('3');
    expect(await row.locator('.yours').textContent()).toBe('7');
    expect(await conflict.locator('tr[data-field="salt"] .theirs').textContent()).toBe('their-salt');
    // Nothing of mine was written.
    expect((await call<Strategy>('GET', `/strategies/${gray.id}`)).priority).toBe(3);
    await expectAccessible(page);
    await screenshots(page, 'console-strategy-conflict', WHOLE_PAGE);

    await conflict.getByRole('button', { name: 'Put my changes on top of theirs' }).click();
    await page.getByRole('status').getByText(/^Your changes are now on top of version \d+/).waitFor();
    expect(await page.getByLabel('Priority', { exact: true }).inputValue()).toBe('7');
    expect(await page.getByLabel('Salt').inputValue()).toBe('their-salt');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'header' }).waitFor();
    expect(await call<Strategy>('GET', `/strategies/${gray.id}`)).toMatchObject({ priority: 7, salt: 'their-salt' });
    clean(admin);
  });

  test('a viewer sees no button that would change anything', async () => {
    await call('POST', '/users', { body: { ...VIEWER, role: 'viewer' } });
    const viewer = await openPage();
    const { page } = viewer;
    await signIn(page, VIEWER);
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    await card(page, 'dashboard').getByTestId('full').waitFor();
    expect(await page.getByRole('button', { name: /New product|Delete|Edit description/ }).count()).toBe(0);
    await expectAccessible(page);

    await card(page, 'header').getByRole('link', { name: 'header' }).click();
    await page.getByRole('heading', { level: 2, name: 'Builds' }).waitFor();
    expect(await page.getByRole('link', { name: 'New strategy' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Roll back|Turn off|Apply/ }).count()).toBe(0);
    expect(await page.locator('main').getByRole('combobox').count()).toBe(0);
    await expectAccessible(page);

    await page.getByRole('link', { name: /^View strategy/ }).first().click();
    await page.getByText('You can view this strategy; changing it needs the operator role.').waitFor();
    expect(await page.getByRole('button', { name: /Save|Change|Add condition|Edit as JSON/ }).count()).toBe(0);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Finch' }).waitFor();
    expect((await page.context().cookies()).filter((c) => c.name === 'finch_session')).toEqual([]);
    clean(viewer);
  });

  test('signing out of the admin page brings back the sign-in form; a wrong password says so', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Wrong username or password.', { exact: true }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'console-sign-in', WHOLE_PAGE);
    clean(admin);
  });
});
