// The audit log (admins): filters by who, what, product and time kept in the console URL, newest
// entries first, older pages appended with the server's `nextBefore` cursor, and each entry's
// before/after one click away.
import { html } from 'htm/preact';
import type { AuditRecord } from '../../core/apiTypes.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { text } from '../i18n.js';
import { navigate } from '../location.js';
import type { PageProps } from '../routes.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { Field } from '../components/Field.js';
import { RelativeTime, exactTime } from '../components/RelativeTime.js';
import { RequireRole } from '../components/RequireRole.js';
import { PAGE_SIZES, auditApiQuery, filterOf, filterQuery, pageSizeOf, type AuditFilter } from './auditFilter.js';
import { fieldChanges } from './auditChanges.js';
import { auditText } from './audit.text.js';

const t = text(auditText);
type Key = Parameters<typeof t>[0];

export const AUDIT_ACTIONS = [
  'strategy.create', 'strategy.update', 'product.rollback',
  'resource.create', 'resource.upload', 'resource.update',
  'product.create', 'product.update', 'product.delete',
  'user.create', 'user.update', 'user.delete',
  'token.create', 'token.revoke',
  'session.create', 'session.delete',
] as const;

const actionWords = (action: string): string => ((AUDIT_ACTIONS as readonly string[]).includes(action) ? t(action as Key) : action);

export function AuditPage(props: PageProps) {
  return html`<${RequireRole} role="admin"><${AuditLog} ...${props} /></${RequireRole}>`;
}

function AuditLog({ query }: PageProps) {
  const applied = filterOf(query);
  const appliedKey = filterQuery(applied);
  const [form, setForm] = useState<AuditFilter>(applied);
  const [products, setProducts] = useState<string[]>([]);
  const [entries, setEntries] = useState<AuditRecord[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const loading = useRef(0);

  useEffect(() => {
    api<{ products: Array<{ name: string }> }>('GET', '/products').then((r) => setProducts(r.body.products.map((p) => p.name).sort()), setError);
  }, []);

  const load = async (before: number | null) => {
    const mine = ++loading.current;
    setBusy(true);
    try {
      const { body } = await api<{ entries: AuditRecord[]; nextBefore: number | null }>('GET', `/audit?${auditApiQuery(applied, before)}`);
      if (mine !== loading.current) return;
      setEntries((old) => (before === null || old === null ? body.entries : [...old, ...body.entries]));
      setNextBefore(body.nextBefore);
      setError(null);
    } catch (err) {
      if (mine === loading.current) setError(err);
    } finally {
      if (mine === loading.current) setBusy(false);
    }
  };

  // A new filter (submitted, or the URL edited, or Back) starts again from the newest entry.
  useEffect(() => {
    setForm(applied);
    setEntries(null);
    void load(null);
  }, [appliedKey]);

  const submit = (e: Event) => {
    e.preventDefault();
    const q = filterQuery(form);
    if (q === appliedKey) void load(null);
    else navigate(q === '' ? '/audit' : `/audit?${q}`);
  };
  const set = (k: keyof AuditFilter) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement | HTMLSelectElement).value });

  return html`<section class="page audit-page" aria-labelledby="audit-title">
    <h1 id="audit-title">${t('title')}</h1>
    <p class="muted">${t('intro')}</p>
    <form class="filters" role="search" aria-label=${t('filters')} onSubmit=${submit}>
      <div class="field-row">
      <${Field} id="audit-actor" label=${t('actor')} hint=${t('actorHint')}>
        <input id="audit-actor" name="actor" autocomplete="off" maxlength="200" aria-describedby="audit-actor-hint" value=${form.actor} onInput=${set('actor')} />
      </${Field}>
      <${Field} id="audit-action" label=${t('action')}>
        <select id="audit-action" name="action" value=${form.action} onChange=${set('action')}>
          <option value="">${t('anyAction')}</option>
          ${AUDIT_ACTIONS.map((a) => html`<option value=${a}>${t(a)}</option>`)}
        </select>
      </${Field}>
      <${Field} id="audit-product" label=${t('product')}>
        <select id="audit-product" name="product" value=${form.product} onChange=${set('product')}>
          <option value="">${t('anyProduct')}</option>
          ${[...new Set([...products, ...(form.product ? [form.product] : [])])].map((p) => html`<option value=${p}>${p}</option>`)}
        </select>
      </${Field}>
      <${Field} id="audit-from" label=${t('from')}>
        <input id="audit-from" name="from" type="datetime-local" value=${form.from} onInput=${set('from')} />
      </${Field}>
      <${Field} id="audit-to" label=${t('to')}>
        <input id="audit-to" name="to" type="datetime-local" value=${form.to} onInput=${set('to')} />
      </${Field}>
      <${Field} id="audit-limit" label=${t('perPage')}>
        <select id="audit-limit" name="limit" value=${String(pageSizeOf(form))} onChange=${set('limit')}>
          ${PAGE_SIZES.map((n) => html`<option value=${String(n)}>${n}</option>`)}
        </select>
      </${Field}>
      </div>
      <div class="filter-actions">
        <button type="submit" class="btn btn-primary">${t('apply')}</button>
        ${appliedKey !== '' ? html`<button type="button" class="btn" onClick=${() => navigate('/audit')}>${t('clear')}</button>` : null}
      </div>
    </form>
    <${ErrorBanner} error=${error} />
    ${entries === null ? html`<p class="muted" aria-busy="true">${t('loading')}</p>`
      : entries.length === 0 ? html`<p class="empty-state">${t('empty')}</p>`
      : html`<${Entries} entries=${entries} />
        <p class="muted" aria-live="polite">${t('count', { count: entries.length })}${nextBefore === null ? ` · ${t('end')}` : ''}</p>
        ${nextBefore !== null ? html`<button type="button" class="btn" disabled=${busy} onClick=${() => void load(nextBefore)}>${busy ? t('loading') : t('older')}</button>` : null}`}
  </section>`;
}

function Entries({ entries }: { entries: AuditRecord[] }) {
  return html`<div class="table-wrap"><table class="table audit-table">
    <thead><tr>
      <th scope="col">${t('time')}</th><th scope="col">${t('actor')}</th><th scope="col">${t('action')}</th>
      <th scope="col">${t('product')}</th><th scope="col">${t('target')}</th><th scope="col">${t('details')}</th>
    </tr></thead>
    <tbody>
      ${entries.map((e) => html`<tr key=${e.id} data-entry-id=${e.id} data-action=${e.action}>
        <td><${RelativeTime} iso=${e.at} /><div class="muted small">${exactTime(e.at)}</div></td>
        <td>${e.actor}</td>
        <td>${actionWords(e.action)}<div class="muted small"><code>${e.action}</code></div></td>
        <td>${e.product ?? '—'}</td>
        <td><code>${e.target}</code></td>
        <td><${Details} entry=${e} /></td>
      </tr>`)}
    </tbody>
  </table></div>`;
}

function Details({ entry }: { entry: AuditRecord }) {
  const changes = fieldChanges(entry.before, entry.after);
  return html`${changes.length > 0 ? html`<ul class="changes">${changes.map((c) => html`<li>${t('changed', { ...c })}</li>`)}</ul>` : null}
    <details>
      <summary>${t('details')}<span class="visually-hidden"> ${t('entry', { id: entry.id })}</span></summary>
      ${entry.before != null ? html`<h3 class="small">${t('before')}</h3><pre tabindex="0">${JSON.stringify(entry.before, null, 2)}</pre>` : null}
      ${entry.after != null ? html`<h3 class="small">${t('after')}</h3><pre tabindex="0">${JSON.stringify(entry.after, null, 2)}</pre>` : null}
      ${entry.details != null ? html`<h3 class="small">${t('how')}</h3><pre tabindex="0">${JSON.stringify(entry.details, null, 2)}</pre>` : null}
      ${entry.requestId ? html`<p class="muted small">${t('requestId', { id: entry.requestId })}</p>` : null}
    </details>`;
}
