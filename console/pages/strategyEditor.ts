// `#/products/<name>/strategies/new` and `#/strategies/<id>`: every field of a strategy and its rule.
// Saving an existing one sends If-Match with the ETag it was loaded with; a 412 shows the conflict
// (theirs beside mine) instead of overwriting.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { StrategyStatus } from '../../core/manifest.js';
import type { Rule } from '../../core/rules/Rule.js';
import { api, ApiError } from '../api.js';
import { text } from '../i18n.js';
import { href, navigate } from '../location.js';
import { can } from '../session.js';
import { loadProductState, type ProductState, type Strategy } from '../model.js';
import type { PageProps } from '../routes.js';
import { changedFields, draftOf, rebase, toBody, type Draft } from '../strategyDraft.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { LiveStatus } from '../components/LiveStatus.js';
import { RuleBuilder } from '../ruleBuilder/RuleBuilder.js';
import { ConflictPanel } from './conflictPanel.js';
import { strategyEditorText } from './strategyEditor.text.js';
import { productText } from './product.text.js';

const t = text(strategyEditorText);
const tp = text(productText);
const STATUSES: readonly StrategyStatus[] = ['off', 'gray', 'full'];

/** What the editor edits: the product, and for an existing strategy the version it started from. */
interface Loaded {
  state: ProductState;
  /** Null for a new strategy. */
  strategy: Strategy | null;
  etag: string | null;
}

async function loadExisting(id: string): Promise<Loaded> {
  const { body, etag } = await api<Strategy>('GET', `/strategies/${encodeURIComponent(id)}`);
  return { state: await loadProductState(body.product), strategy: body, etag };
}

async function loadNew(product: string): Promise<Loaded> {
  return { state: await loadProductState(product), strategy: null, etag: null };
}

function newDraft(state: ProductState): Draft {
  const build = state.resources.find((r) => r.status === 'deployed') ?? state.resources[0];
  return { resourceId: build?.id ?? 0, status: 'gray', priority: 0, salt: '', startsAt: '', endsAt: '', rule: { users: [] } };
}

function Form({ loaded }: { loaded: Loaded }) {
  const { state } = loaded;
  const product = state.product.name;
  const [strategy, setStrategy] = useState(loaded.strategy);
  const [etag, setEtag] = useState(loaded.etag);
  const [base, setBase] = useState<Draft>(() => (loaded.strategy ? draftOf(loaded.strategy) : newDraft(state)));
  const [draft, setDraft] = useState<Draft>(base);
  const [theirs, setTheirs] = useState<{ strategy: Strategy; etag: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const editable = can('operator');
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const back = `/products/${encodeURIComponent(product)}`;

  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setMessage(null);
    if (strategy === null) {
      setBusy(true);
      try {
        await api('POST', '/strategies', { body: { product, ...toBody(draft) } });
        navigate(back);
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
      return;
    }
    const fields = changedFields(base, draft);
    if (fields.length === 0) {
      setMessage(t('nothingChanged'));
      return;
    }
    setBusy(true);
    try {
      await api('PATCH', `/strategies/${strategy.id}`, { body: toBody(draft, fields), headers: { 'If-Match': etag ?? '' } });
      navigate(back);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'precondition-failed') {
        try {
          const now = await api<Strategy>('GET', `/strategies/${strategy.id}`);
          setTheirs({ strategy: now.body, etag: now.etag });
        } catch (again) {
          setError(again);
        }
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const loadTheirs = () => {
    if (!theirs) return;
    const d = draftOf(theirs.strategy);
    setStrategy(theirs.strategy);
    setEtag(theirs.etag);
    setBase(d);
    setDraft(d);
    setTheirs(null);
  };
  const keepMine = () => {
    if (!theirs) return;
    const d = draftOf(theirs.strategy);
    setDraft(rebase(base, draft, d));
    setStrategy(theirs.strategy);
    setEtag(theirs.etag);
    setBase(d);
    setTheirs(null);
    setMessage(t('rebased', { version: theirs.strategy.version }));
  };

  const builds = state.resources.filter((r) => r.status !== 'build_failed' && r.status !== 'deploy_failed' || r.id === draft.resourceId);
  return html`<section aria-labelledby="editor-title">
    <p><a href=${href(back)}>← ${t('back', { product })}</a></p>
    <h1 id="editor-title">${strategy ? t('editTitle', { id: strategy.id, product }) : t('newTitle', { product })}</h1>
    ${editable ? null : html`<p class="note">${t('readOnly')}</p>`}
    <${LiveStatus} message=${message} />
    ${theirs && strategy ? html`<${ConflictPanel} baseVersion=${strategy.version} mine=${draft} theirs=${theirs.strategy}
      resources=${state.resources} onLoadTheirs=${loadTheirs} onKeepMine=${keepMine} />` : null}
    <${ErrorBanner} error=${error} />
    <form class="form strategy-form" onSubmit=${save}>
      <fieldset disabled=${!editable} class="plain-fieldset">
        <div class="field">
          <label for="strategy-build">${t('build')}</label>
          <select id="strategy-build" value=${String(draft.resourceId)} onChange=${(e: Event) => set('resourceId', Number((e.target as HTMLSelectElement).value))}>
            ${builds.map((r) => html`<option value=${String(r.id)}>${t('buildOption', { version: r.version, status: tp(`r_${r.status}`) })}</option>`)}
          </select>
        </div>
        <fieldset class="radio-group">
          <legend>${t('status')}</legend>
          ${STATUSES.map((s) => html`<label class="radio"><input type="radio" name="strategy-status" value=${s} checked=${draft.status === s}
            onChange=${() => set('status', s)} /> ${tp(`s_${s}`)}</label>`)}
          <div class="hint">${t('statusHelp')}</div>
        </fieldset>
        <div class="field-row">
          <div class="field">
            <label for="strategy-priority">${t('priority')}</label>
            <input id="strategy-priority" type="number" step="1" min="-1000000" max="1000000" aria-describedby="strategy-priority-hint"
              value=${draft.priority} onInput=${(e: Event) => set('priority', Math.trunc(Number((e.target as HTMLInputElement).value)) || 0)} />
            <div class="hint" id="strategy-priority-hint">${t('priorityHint')}</div>
          </div>
          <div class="field">
            <label for="strategy-salt">${t('salt')}</label>
            <input id="strategy-salt" maxlength="200" aria-describedby="strategy-salt-hint" value=${draft.salt}
              onInput=${(e: Event) => set('salt', (e.target as HTMLInputElement).value)} />
            <div class="hint" id="strategy-salt-hint">${t('saltHint')}</div>
          </div>
        </div>
        <div class="field-row">
          <div class="field">
            <label for="strategy-starts">${t('startsAt')}</label>
            <input id="strategy-starts" type="datetime-local" aria-describedby="strategy-window-hint" value=${draft.startsAt}
              onInput=${(e: Event) => set('startsAt', (e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="strategy-ends">${t('endsAt')}</label>
            <input id="strategy-ends" type="datetime-local" aria-describedby="strategy-window-hint" value=${draft.endsAt}
              onInput=${(e: Event) => set('endsAt', (e.target as HTMLInputElement).value)} />
          </div>
          <div class="hint" id="strategy-window-hint">${t('windowHint')}</div>
        </div>
      </fieldset>
      <fieldset class="rule-fieldset">
        <legend>${t('rule')}</legend>
        ${draft.status === 'gray' ? null : html`<p class="hint">${t('ruleIgnored')}</p>`}
        <${RuleBuilder} rule=${draft.rule} readOnly=${!editable} onChange=${(r: Rule | null) => set('rule', r)} />
      </fieldset>
      ${editable ? html`<div class="actions">
        <button type="submit" class="btn btn-primary" disabled=${busy || theirs !== null}>${busy ? t('saving') : strategy ? t('save') : t('create')}</button>
        <a class="btn" href=${href(back)}>${t('cancel')}</a>
      </div>` : null}
    </form>
  </section>`;
}

export function StrategyEditorPage({ params }: PageProps) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Loaded once, not on every live revision: reloading would wipe an edit in progress. Changes by
  // others surface when saving (412).
  useEffect(() => {
    (params.id !== undefined ? loadExisting(params.id) : loadNew(params.name ?? '')).then(setLoaded, setError);
  }, [params.id, params.name]);
  if (error) return html`<${ErrorBanner} error=${error} />`;
  if (!loaded) return html`<p class="muted" aria-busy="true">…</p>`;
  return html`<${Form} loaded=${loaded} />`;
}
