// The route table: console path pattern → page, and the header's navigation. Each page's module
// adds its row here; a page that pulls in a large library (charts) is loaded with `lazyPage` so the
// first screen does not download it.
import type { ComponentType } from 'preact';
import type { Role } from './session.js';
import { text } from './i18n.js';
import { appText } from './app.text.js';
import { ProductsPage } from './pages/products.js';
import { ProductPage } from './pages/product.js';
import { StrategyEditorPage } from './pages/strategyEditor.js';
import { WhoGetsWhatPage } from './pages/whoGetsWhat.js';
import { whoGetsWhatText } from './pages/whoGetsWhat.text.js';
import { ChartsPage } from './pages/charts.js';
import { chartsText } from './pages/charts.text.js';
import { AuditPage } from './pages/audit.js';
import { auditText } from './pages/audit.text.js';
import { UsersPage } from './pages/users.js';
import { usersText } from './pages/users.text.js';
import { TokensPage } from './pages/tokens.js';
import { tokensText } from './pages/tokens.text.js';
import { lazyPage } from './components/lazyPage.js';

/** What every page gets: the `:name` parts of its path and the query after `?`. */
export interface PageProps {
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface Route {
  /** `/products/:name`: a `:x` segment matches one non-empty path segment and lands in `params.x`. */
  path: string;
  page: ComponentType<PageProps>;
}

export interface NavEntry {
  /** The console path the link opens. */
  path: string;
  label: () => string;
  /** The least role that sees the link. */
  role: Role;
}

const t = text(appText);

export const ROUTES: Route[] = [
  { path: '/', page: ProductsPage },
  { path: '/products/:name', page: ProductPage },
  { path: '/products/:name/strategies/new', page: StrategyEditorPage },
  { path: '/strategies/:id', page: StrategyEditorPage },
  { path: '/who', page: WhoGetsWhatPage },
  // The charts page itself is small; uPlot is imported by its charts when there is data to draw.
  { path: '/charts', page: ChartsPage },
  { path: '/products/:name/charts', page: ChartsPage },
  { path: '/audit', page: AuditPage },
  { path: '/users', page: UsersPage },
  { path: '/tokens', page: TokensPage },
  // The rollout pages are an operator's occasional visit: their code loads when one is opened.
  { path: '/products/:name/rollouts', page: lazyPage(() => import('./pages/rollouts.js').then((m) => m.RolloutsPage)) },
  { path: '/rollouts/:id', page: lazyPage(() => import('./pages/rollout.js').then((m) => m.RolloutPage)) },
];

export const NAV: NavEntry[] = [
  { path: '/', label: () => t('navProducts'), role: 'viewer' },
  { path: '/who', label: () => text(whoGetsWhatText)('navWho'), role: 'viewer' },
  { path: '/charts', label: () => text(chartsText)('navCharts'), role: 'viewer' },
  { path: '/audit', label: () => text(auditText)('navAudit'), role: 'admin' },
  { path: '/users', label: () => text(usersText)('navUsers'), role: 'admin' },
  { path: '/tokens', label: () => text(tokensText)('navTokens'), role: 'admin' },
];

/**
 * The nav entry a console path belongs to: a product's charts are Charts, the rest of a product's pages
 * (builds, strategies, the editor, rollouts) are Products.
 */
export function currentNav(path: string): string {
  if (/^\/products\/[^/]+\/charts$/.test(path)) return '/charts';
  if (path === '/' || ['/products/', '/strategies/', '/rollouts/'].some((p) => path.startsWith(p))) return '/';
  return NAV.find((n) => n.path !== '/' && path.startsWith(n.path))?.path ?? '';
}

/** The route for `path` and its params, or null when no route matches. */
export function matchRoute(path: string): { route: Route; params: Record<string, string> } | null {
  const parts = path.split('/').filter((p) => p !== '');
  for (const route of ROUTES) {
    const pattern = route.path.split('/').filter((p) => p !== '');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((seg, i) => {
      const part = parts[i]!;
      if (seg.startsWith(':')) {
        try {
          params[seg.slice(1)] = decodeURIComponent(part);
        } catch {
          return false;
        }
        return true;
      }
      return seg === part;
    });
    if (ok) return { route, params };
  }
  return null;
}
