// API tokens (admins): the list (never a secret: the server keeps only hashes), a create form whose
// scopes are picked rather than typed, the new secret shown once in a dialog with a copy button, and
// revoking with a confirmation.
import { html } from 'htm/preact';
import type { TokenInfo } from '../../core/apiTypes.js';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { text } from '../i18n.js';
import type { PageProps } from '../routes.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { Field } from '../components/Field.js';
import { FormDialog } from '../components/FormDialog.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { RequireRole } from '../components/RequireRole.js';
import { scopesOf } from './tokensScopes.js';
import { tokensText } from './tokens.text.js';

const t = text(tokensText);

export function TokensPage(props: PageProps) {
  return html`<${RequireRole} role="admin"><${Tokens} ...${props} /></${RequireRole}>`;
}

function Tokens(_props: PageProps) {
  const [tokens, setTokens] = useState<TokenInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [reloads, setReloads] = useState(0);
  // The one moment the secret exists in the console: cleared when the dialog closes.
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<TokenInfo | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<{ tokens: TokenInfo[] }>('GET', '/tokens').then((r) => setTokens(r.body.tokens), setError);
  }, [reloads]);

  const revoke = async (token: TokenInfo) => {
    setBusy(true);
    try {
      await api('DELETE', `/tokens/${token.id}`);
      setError(null);
      setNotice(t('revoked', { name: token.name }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setRevoking(null);
      setReloads((n) => n + 1);
    }
  };

  return html`<section class="page tokens-page" aria-labelledby="tokens-title">
    <h1 id="tokens-title">${t('title')}</h1>
    <p class="muted">${t('intro')}</p>
    <${CreateToken} onCreated=${(name: string, token: string) => { setNotice(''); setSecret({ name, token }); setReloads((n) => n + 1); }} />
    <h2 id="tokens-list-title">${t('listTitle')}</h2>
    <${ErrorBanner} error=${error} />
    <p role="status" class="notice">${notice}</p>
    ${tokens === null ? html`<p class="muted" aria-busy="true">${t('loading')}</p>`
      : tokens.length === 0 ? html`<p class="empty-state">${t('empty')}</p>`
      : html`<div class="table-wrap"><table class="table" aria-labelledby="tokens-list-title">
        <thead><tr>
          <th scope="col">${t('name')}</th><th scope="col">${t('scopeList')}</th><th scope="col">${t('createdBy')}</th>
          <th scope="col">${t('createdAt')}</th><th scope="col">${t('state')}</th><th scope="col">${t('actions')}</th>
        </tr></thead>
        <tbody>
          ${tokens.map((tk) => html`<tr key=${tk.id} data-token-id=${tk.id}>
            <th scope="row">${tk.name}</th>
            <td>${tk.scopes.map((s) => html`<code class="scope">${s}</code> `)}</td>
            <td>${tk.createdBy}</td>
            <td><${RelativeTime} iso=${tk.createdAt} /></td>
            <td>${tk.revokedAt ? html`<span class="badge badge-off">${t('revokedAt')}</span> <${RelativeTime} iso=${tk.revokedAt} />` : html`<span class="badge badge-full">${t('active')}</span>`}</td>
            <td>${tk.revokedAt ? null : html`<button type="button" class="btn btn-danger" aria-label=${t('revokeToken', { name: tk.name })} onClick=${() => setRevoking(tk)}>${t('revoke')}</button>`}</td>
          </tr>`)}
        </tbody>
      </table></div>`}
    ${secret ? html`<${SecretDialog} name=${secret.name} token=${secret.token} onClose=${() => setSecret(null)} />` : null}
    ${revoking ? html`<${ConfirmDialog} title=${t('revokeTitle', { name: revoking.name })} confirmLabel=${t('revoke')} cancelLabel=${t('cancel')} danger=${true} busy=${busy}
      onCancel=${() => setRevoking(null)} onConfirm=${() => void revoke(revoking)}>
      <p>${t('revokeBody', { name: revoking.name })}</p>
    </${ConfirmDialog}>` : null}
  </section>`;
}

function CreateToken({ onCreated }: { onCreated: (name: string, token: string) => void }) {
  const [name, setName] = useState('');
  const [publishAll, setPublishAll] = useState(false);
  const [publishProducts, setPublishProducts] = useState<string[]>([]);
  const [operate, setOperate] = useState(false);
  const [admin, setAdmin] = useState(false);
  const [products, setProducts] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<{ products: Array<{ name: string }> }>('GET', '/products').then((r) => setProducts(r.body.products.map((p) => p.name).sort()), setError);
  }, []);

  const scopes = scopesOf({ publishAll, publishProducts, operate, admin });
  const submit = async (e: Event) => {
    e.preventDefault();
    if (scopes.length === 0) {
      setError(new Error(t('noScope')));
      return;
    }
    setBusy(true);
    try {
      const { body } = await api<{ token: string; name: string }>('POST', '/tokens', { body: { name: name.trim(), scopes } });
      setError(null);
      setName('');
      setPublishAll(false);
      setPublishProducts([]);
      setOperate(false);
      setAdmin(false);
      onCreated(body.name, body.token);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (p: string, on: boolean) => setPublishProducts(on ? [...publishProducts, p] : publishProducts.filter((x) => x !== p));

  return html`<form class="card create-token" aria-labelledby="create-token-title" onSubmit=${submit}>
    <h2 id="create-token-title">${t('createTitle')}</h2>
    <${ErrorBanner} error=${error} />
    <${Field} id="token-name" label=${t('name')} hint=${t('nameHint')}>
      <input id="token-name" name="name" autocomplete="off" required maxlength="100" aria-describedby="token-name-hint"
        value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
    </${Field}>
    <fieldset class="scopes" aria-describedby="token-scopes-hint">
      <legend>${t('scopes')}</legend>
      <div class="hint" id="token-scopes-hint">${t('scopesHint')}</div>
      <label class="check"><input type="checkbox" name="publishAll" checked=${publishAll} onChange=${(e: Event) => setPublishAll((e.target as HTMLInputElement).checked)} /><span>${t('publishAll')} <code>publish</code></span></label>
      ${products.length > 0 ? html`<fieldset class="scope-products" disabled=${publishAll}>
        <legend>${t('publishSome')}</legend>
        ${products.map((p) => html`<label class="check" key=${p}><input type="checkbox" name="publishProduct" value=${p} checked=${publishProducts.includes(p)}
          onChange=${(e: Event) => toggle(p, (e.target as HTMLInputElement).checked)} /><span>${p}</span></label>`)}
      </fieldset>` : null}
      <label class="check"><input type="checkbox" name="operate" checked=${operate} onChange=${(e: Event) => setOperate((e.target as HTMLInputElement).checked)} /><span>${t('operate')} <code>operate</code></span></label>
      <label class="check"><input type="checkbox" name="admin" checked=${admin} onChange=${(e: Event) => setAdmin((e.target as HTMLInputElement).checked)} /><span>${t('admin')} <code>admin</code></span></label>
    </fieldset>
    <button type="submit" class="btn btn-primary" disabled=${busy}>${busy ? t('creating') : t('create')}</button>
  </form>`;
}

function SecretDialog({ name, token, onClose }: { name: string; token: string; onClose: () => void }) {
  const [copy, setCopy] = useState<'' | 'copied' | 'copyFailed'>('');
  const doCopy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopy('copied');
    } catch {
      setCopy('copyFailed');
    }
  };
  return html`<${FormDialog} id="token-secret" title=${t('secretTitle', { name })} submitLabel=${t('done')} onSubmit=${onClose} onCancel=${onClose}>
    <p class="warning"><strong>${t('secretWarning')}</strong></p>
    <div class="field">
      <label for="token-secret-value">${t('secretLabel')}</label>
      <div class="secret-row">
        <input id="token-secret-value" class="secret" readonly value=${token} spellcheck=${false} autocomplete="off"
          onFocus=${(e: Event) => (e.target as HTMLInputElement).select()} />
        <button type="button" class="btn" onClick=${() => void doCopy()}>${t('copy')}</button>
      </div>
    </div>
    <p role="status" class="notice">${copy ? t(copy) : ''}</p>
  </${FormDialog}>`;
}
