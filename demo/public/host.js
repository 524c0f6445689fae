// The demo's host page. It signs a user in through the SDK (window.Finch.client, created by the
// <script data-endpoint data-products> tag) and mounts each micro-frontend from the hook it gives
// `finch.register`. The builds only expose `window.FinchApps[product] = { version, mount, unmount }`.
const finch = window.Finch?.client;
const USER_KEY = 'finch-demo:user';
const PRODUCTS = ['header', 'dashboard'];

const $ = (selector) => document.querySelector(selector);
const form = $('#login');
const apps = $('#apps');
const slots = { header: $('#mf-header'), dashboard: $('#mf-dashboard') };

/** product → the version of the build on screen (what actually ran, which after a fallback is the stable one). */
const mounted = new Map();
/** product → the tail of its mount queue, so two hook calls never mount at once. */
const queues = new Map();
let user = null;

function log(text) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  $('#events').append(item);
}

function notice(text) {
  const el = $('#notice');
  el.textContent = text;
  el.hidden = text === '';
}

function versionOf(choice) {
  if (typeof choice === 'string') return choice;
  return choice?.version ?? null;
}

/**
 * The micro-frontend hook: Finch calls it with the chosen build now and on every change. The first
 * call mounts the product; a later, different choice (a `refresh()` after an operator's change) is
 * only announced: this page keeps the build it started with (never mixed versions in one page), new
 * pages get the new one.
 */
function hookFor(product) {
  return (choice) => {
    const next = (queues.get(product) ?? Promise.resolve()).then(async () => {
      const onScreen = mounted.get(product);
      if (onScreen === undefined) {
        if (choice === null) slots[product].textContent = `No build of ${product} for this user.`;
        else await mount(product);
        return;
      }
      const wanted = versionOf(choice);
      if (wanted !== null && wanted !== onScreen) {
        notice(`${product} ${wanted} is available; reload the page to switch from ${onScreen}.`);
      }
    });
    queues.set(product, next.catch((err) => log(`${product}: ${err instanceof Error ? err.message : err}`)));
  };
}

async function mount(product) {
  // Injects the build's CSS and JS (with integrity); on a failure the SDK (or the worker) switches the
  // whole product to its stable build, whose main.js then registers itself instead.
  await finch.load(product);
  const app = window.FinchApps?.[product];
  if (app === undefined) throw new Error(`no build of ${product} registered itself on window.FinchApps`);
  app.mount(slots[product], { userId: user?.userId ?? null });
  mounted.set(product, app.version);
  log(`mounted ${product} ${app.version}`);
  if (PRODUCTS.every((p) => mounted.has(p))) {
    // For measurements (npm run bench): sign-in start to every micro-frontend on screen.
    performance.mark('finch-demo:mounted');
    document.documentElement.dataset.finchMounted = 'true';
  }
}

async function signIn(next) {
  user = next;
  form.hidden = true;
  apps.hidden = false;
  $('#logout').hidden = false;
  $('#status-user').textContent = `user: ${next.userId}${next.group ? ` (group ${next.group})` : ''}`;
  performance.mark('finch-demo:login');
  // Cache-first: a returning user gets the stored manifest at once, even with the network gone.
  await finch.login(next.userId, next.group ? { group: next.group } : {});
  for (const product of PRODUCTS) finch.register(product, hookFor(product));
}

function showWorker() {
  const controlled = Boolean(navigator.serviceWorker?.controller);
  $('#status-worker').textContent = `worker: ${controlled ? 'controlling' : 'not controlling'}`;
}

function showNetwork() {
  $('#status-network').textContent = navigator.onLine ? 'online' : 'offline';
}

function start() {
  if (finch === undefined) {
    notice('The Finch SDK did not load (/finch.js). Run `npm run build` and start the demo again.');
    return;
  }
  for (const event of ['ready', 'update', 'fallback', 'error']) {
    finch.on(event, (detail) => log(`${event} ${describe(detail)}`));
  }
  showWorker();
  showNetwork();
  navigator.serviceWorker?.addEventListener('controllerchange', showWorker);
  addEventListener('online', showNetwork);
  addEventListener('offline', showNetwork);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next = { userId: String(data.get('userId') ?? '').trim(), group: String(data.get('group') ?? '').trim() };
    if (next.userId === '') return;
    localStorage.setItem(USER_KEY, JSON.stringify(next));
    signIn(next).catch((err) => log(`sign-in failed: ${err instanceof Error ? err.message : err}`));
  });

  $('#logout').addEventListener('click', async () => {
    localStorage.removeItem(USER_KEY);
    await finch.logout();
    // A fresh page is the simplest way to drop the mounted builds' code and styles.
    location.reload();
  });

  const remembered = readUser();
  if (remembered === null) form.hidden = false;
  else signIn(remembered).catch((err) => log(`sign-in failed: ${err instanceof Error ? err.message : err}`));
}

function readUser() {
  try {
    const value = JSON.parse(localStorage.getItem(USER_KEY) ?? 'null');
    return typeof value?.userId === 'string' && value.userId !== '' ? value : null;
  } catch {
    return null;
  }
}

function describe(detail) {
  if (detail === undefined || detail === null) return '';
  if (detail instanceof Error) return detail.message;
  try {
    return JSON.stringify(detail).slice(0, 200);
  } catch {
    return String(detail);
  }
}

start();
