// The sign-in form: POST /api/v1/session. A wrong password (401) or too many tries (429) shows the
// message for its code; success fills the session and the shell shows the page that was asked for.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { text } from '../i18n.js';
import { appText } from '../app.text.js';
import { session, toSession } from '../session.js';
import { ErrorBanner } from '../components/ErrorBanner.js';

const t = text(appText);

export function SignInPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { body } = await api('POST', '/session', { body: { username, password }, keepSessionOn401: true });
      session.value = toSession(body) ?? (await api('GET', '/session').then((r) => toSession(r.body)));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return html`<section class="sign-in" aria-labelledby="sign-in-title">
    <h1 id="sign-in-title">${t('signInTitle')}</h1>
    <${ErrorBanner} error=${error} />
    <form onSubmit=${submit}>
      <div class="field">
        <label for="sign-in-username">${t('username')}</label>
        <input id="sign-in-username" name="username" autocomplete="username" required value=${username}
          onInput=${(e: Event) => setUsername((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="sign-in-password">${t('password')}</label>
        <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required value=${password}
          onInput=${(e: Event) => setPassword((e.target as HTMLInputElement).value)} />
      </div>
      <button type="submit" class="btn btn-primary" disabled=${busy}>${busy ? t('signingIn') : t('signIn')}</button>
    </form>
  </section>`;
}
