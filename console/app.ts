// The shell: header (navigation, who is signed in, sign-out, language), then the page of the
// current hash, or the sign-in form when nobody is signed in.
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { api } from './api.js';
import { LANGS, lang, setLang, text, type Lang } from './i18n.js';
import { appText } from './app.text.js';
import { href, place } from './location.js';
import { NAV, currentNav, matchRoute } from './routes.js';
import { can, maybeSignedIn, session, toSession, type Role } from './session.js';
import { startLive, stopLive } from './live.js';
import { SignInPage } from './pages/signIn.js';

const t = text(appText);
const LANG_NAMES: Record<Lang, string> = { en: 'English', zh: '中文' };
const ROLE_KEYS = { viewer: 'roleViewer', operator: 'roleOperator', admin: 'roleAdmin' } as const satisfies Record<Role, string>;

/** Asks the server who is signed in (the cookie is HttpOnly, so only the server knows). */
export async function loadSession(): Promise<void> {
  if (!maybeSignedIn()) {
    session.value = null;
    return;
  }
  try {
    session.value = toSession((await api('GET', '/session')).body);
  } catch {
    session.value = null;
  }
}

async function signOut(): Promise<void> {
  try {
    await api('DELETE', '/session');
  } finally {
    session.value = null;
  }
}

function LangSwitch() {
  return html`<label class="lang-switch">
    <span class="visually-hidden">${t('language')}</span>
    <select value=${lang.value} onChange=${(e: Event) => setLang((e.target as HTMLSelectElement).value as Lang)}>
      ${LANGS.map((l) => html`<option value=${l} lang=${l}>${LANG_NAMES[l]}</option>`)}
    </select>
  </label>`;
}

function Header() {
  const s = session.value;
  const path = place.value.path;
  return html`<header class="app-header">
    <a class="skip-link" href="#main">${t('skipToContent')}</a>
    <a class="brand" href=${href('/')}>${t('appName')}</a>
    ${s ? html`<nav aria-label=${t('mainNav')}>
      <ul>
        ${NAV.filter((n) => can(n.role)).map((n) => {
          const current = currentNav(path) === n.path;
          return html`<li><a href=${href(n.path)} aria-current=${current ? 'page' : undefined}>${n.label()}</a></li>`;
        })}
      </ul>
    </nav>` : null}
    <div class="header-end">
      <${LangSwitch} />
      ${s ? html`<span class="who">${t('signedInAs', { username: s.username, role: t(ROLE_KEYS[s.role]) })}</span>
        <button type="button" class="btn" onClick=${() => void signOut()}>${t('signOut')}</button>` : null}
    </div>
  </header>`;
}

function Page() {
  const { path, query } = place.value;
  const found = matchRoute(path);
  if (!found) {
    return html`<section><h1>${t('notFound', { path })}</h1><p><a href=${href('/')}>${t('backHome')}</a></p></section>`;
  }
  const P = found.route.page;
  // Keyed by path: moving between two products remounts the page, so no state leaks across.
  return html`<${P} key=${path} params=${found.params} query=${query} />`;
}

export function App() {
  const s = session.value;
  useEffect(() => { void loadSession(); }, []);
  useEffect(() => {
    if (s) startLive();
    else stopLive();
  }, [s]);
  useEffect(() => { document.documentElement.lang = lang.value === 'zh' ? 'zh-CN' : 'en'; }, [lang.value]);
  return html`<${Header} />
    <main id="main" tabindex="-1">
      ${s === undefined ? html`<p class="muted" aria-busy="true">${t('loading')}</p>` : s === null ? html`<${SignInPage} />` : html`<${Page} />`}
    </main>`;
}
