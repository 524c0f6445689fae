// Who gets what: describe a user (id, attributes, IP) and see, per product, the build they get now and
// which strategy decided it, from `POST /api/v1/explain` (the resolver getConsoleVersion uses). The
// answer is asked again whenever the control plane's revision moves, so it follows live changes.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Rule } from '../../core/rules/Rule.js';
import { api } from '../api.js';
import { lang, text } from '../i18n.js';
import { revision } from '../live.js';
import { ruleWords } from '../ruleWords.js';
import type { PageProps } from '../routes.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { Field } from '../components/Field.js';
import { whoGetsWhatText } from './whoGetsWhat.text.js';

const t = text(whoGetsWhatText);

interface ExplainedBuild {
  resourceId: number;
  version: string;
}

interface ExplainedEntry extends ExplainedBuild {
  strategyId: number;
  status: 'gray' | 'full';
  fallback?: ExplainedBuild;
}

interface Explanation {
  revision: number;
  products: Record<string, ExplainedEntry | null>;
}

interface Attr {
  /** Stable across removals, so each row keeps its own inputs. */
  key: number;
  name: string;
  value: string;
}

/** The user the answer is about: what was last submitted. */
interface Asked {
  userId: string;
  attributes: Record<string, string>;
  ip: string;
}

/** What the table shows: the answer for the user it was asked about (a later failed ask leaves it). */
interface Answer {
  asked: Asked;
  explanation: Explanation;
  rules: Map<number, Rule | null>;
}

/** `attr.group=beta` in the console URL pre-fills an attribute row. */
const ATTR_PREFIX = 'attr.';

let nextKey = 1;
const row = (name = '', value = ''): Attr => ({ key: nextKey++, name, value });

function initialRows(query: URLSearchParams): Attr[] {
  const rows = [...query.entries()].filter(([k]) => k.startsWith(ATTR_PREFIX)).map(([k, v]) => row(k.slice(ATTR_PREFIX.length), v));
  return rows.length > 0 ? rows : [row()];
}

function askedOf(userId: string, rows: readonly Attr[], ip: string): Asked {
  const attributes: Record<string, string> = {};
  for (const r of rows) if (r.name.trim() !== '') attributes[r.name.trim()] = r.value;
  return { userId: userId.trim(), attributes, ip: ip.trim() };
}

/** The rules of the gray strategies in the answer, by id (a viewer may read strategies). */
async function grayRules(products: Explanation['products']): Promise<Map<number, Rule | null>> {
  const ids = [...new Set(Object.values(products).flatMap((e) => (e?.status === 'gray' ? [e.strategyId] : [])))];
  const rules = await Promise.all(ids.map((id) => api<{ rule?: Rule | null }>('GET', `/strategies/${id}`).then((r) => r.body.rule ?? null)));
  return new Map(ids.map((id, i) => [id, rules[i] ?? null]));
}

export function WhoGetsWhatPage({ query }: PageProps) {
  const [userId, setUserId] = useState(query.get('userId') ?? '');
  const [rows, setRows] = useState<Attr[]>(() => initialRows(query));
  const [ip, setIp] = useState(query.get('ip') ?? '');
  // A link with a user in it (`#/who?userId=alice`) shows the answer at once.
  const [asked, setAsked] = useState<Asked | null>(() => (query.has('userId') ? askedOf(userId, rows, ip) : null));
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const asking = useRef(0);
  const live = revision.value;

  useEffect(() => {
    if (asked === null) return;
    const mine = ++asking.current;
    setBusy(true);
    const body: Record<string, unknown> = {};
    if (asked.userId !== '') body['userId'] = asked.userId;
    if (Object.keys(asked.attributes).length > 0) body['attributes'] = asked.attributes;
    if (asked.ip !== '') body['ip'] = asked.ip;
    (async () => {
      try {
        const explanation = (await api<Explanation>('POST', '/explain', { body })).body;
        const rules = await grayRules(explanation.products);
        if (mine !== asking.current) return;
        setAnswer({ asked, explanation, rules });
        setError(null);
      } catch (err) {
        if (mine === asking.current) setError(err);
      } finally {
        if (mine === asking.current) setBusy(false);
      }
    })();
  }, [asked, live]);

  const submit = (e: Event) => {
    e.preventDefault();
    setAsked(askedOf(userId, rows, ip));
  };
  const setRow = (key: number, change: Partial<Attr>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));

  return html`<section class="page who-page" aria-labelledby="who-title">
    <h1 id="who-title">${t('title')}</h1>
    <p class="muted">${t('intro')}</p>
    <form class="who-form" onSubmit=${submit}>
      <${Field} id="who-user" label=${t('userId')} hint=${t('userIdHint')}>
        <input id="who-user" name="userId" autocomplete="off" maxlength="256" aria-describedby="who-user-hint" value=${userId}
          onInput=${(e: Event) => setUserId((e.target as HTMLInputElement).value)} />
      </${Field}>
      <fieldset class="attr-rows" aria-describedby="who-attrs-hint">
        <legend>${t('attributes')}</legend>
        <div class="hint" id="who-attrs-hint">${t('attributesHint')}</div>
        ${rows.map((r, i) => html`<div class="attr-row" key=${r.key}>
          <div class="field">
            <label for=${`who-attr-name-${r.key}`}>${t('attrName')}</label>
            <input id=${`who-attr-name-${r.key}`} name="attrName" autocomplete="off" maxlength="128" value=${r.name}
              onInput=${(e: Event) => setRow(r.key, { name: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label for=${`who-attr-value-${r.key}`}>${t('attrValue')}</label>
            <input id=${`who-attr-value-${r.key}`} name="attrValue" autocomplete="off" maxlength="1024" value=${r.value}
              onInput=${(e: Event) => setRow(r.key, { value: (e.target as HTMLInputElement).value })} />
          </div>
          <button type="button" class="btn" aria-label=${t('removeAttribute', { n: i + 1 })}
            onClick=${() => setRows(rows.length > 1 ? rows.filter((x) => x.key !== r.key) : [row()])}>×</button>
        </div>`)}
        <button type="button" class="btn" onClick=${() => setRows([...rows, row()])}>${t('addAttribute')}</button>
      </fieldset>
      <${Field} id="who-ip" label=${t('ip')} hint=${t('ipHint')}>
        <input id="who-ip" name="ip" autocomplete="off" inputmode="text" maxlength="64" aria-describedby="who-ip-hint" value=${ip}
          onInput=${(e: Event) => setIp((e.target as HTMLInputElement).value)} />
      </${Field}>
      <button type="submit" class="btn btn-primary" disabled=${busy}>${busy ? t('explaining') : t('explain')}</button>
    </form>
    <${ErrorBanner} error=${error} />
    <div aria-live="polite">
      ${answer ? html`<${Results} answer=${answer} />` : asked === null ? html`<p class="muted">${t('prompt')}</p>` : null}
    </div>
  </section>`;
}

function Results({ answer }: { answer: Answer }) {
  const entries = Object.entries(answer.explanation.products);
  const who = answer.asked.userId === '' ? t('anonymous') : answer.asked.userId;
  return html`<section class="who-results" aria-labelledby="who-results-title">
    <h2 id="who-results-title">${t('results', { who })}</h2>
    ${entries.length === 0 ? html`<p class="muted">${t('noProducts')}</p>` : html`<div class="table-wrap"><table class="table">
      <thead><tr><th scope="col">${t('product')}</th><th scope="col">${t('build')}</th><th scope="col">${t('why')}</th></tr></thead>
      <tbody>
        ${entries.map(([name, e]) => html`<tr key=${name} data-product=${name}>
          <th scope="row">${name}</th>
          <td data-version=${e?.version ?? ''}>
            ${e ? html`<strong>${e.version}</strong> <span class=${`badge badge-${e.status}`}>${e.status === 'gray' ? t('statusGray') : t('statusFull')}</span>` : html`<span class="muted">${t('nothing')}</span>`}
          </td>
          <td>${e ? html`<${Why} entry=${e} rule=${answer.rules.get(e.strategyId)} />` : t('noneServes')}</td>
        </tr>`)}
      </tbody>
    </table></div>`}
    <p class="muted">${t('asOf', { revision: answer.explanation.revision })}</p>
  </section>`;
}

function Why({ entry, rule }: { entry: ExplainedEntry; rule: Rule | null | undefined }) {
  if (entry.status === 'full') return html`<span>${t('fullServes', { id: entry.strategyId })}</span>`;
  return html`<span>${t('grayMatched', { id: entry.strategyId, rule: ruleWords(rule, lang.value) })}</span>
    <br /><span class="muted">${entry.fallback ? t('fallback', { version: entry.version, fallback: entry.fallback.version }) : t('noFallback')}</span>`;
}
