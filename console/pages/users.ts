// Console users (admins): add one, change a role, set a new password, delete. The server refuses to
// demote or delete the last admin (409); the page says so in words instead of a generic conflict.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { text } from '../i18n.js';
import { revision } from '../live.js';
import type { PageProps } from '../routes.js';
import { session, toSession, type Role } from '../session.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { Field } from '../components/Field.js';
import { FormDialog } from '../components/FormDialog.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { RequireRole } from '../components/RequireRole.js';
import { usersText } from './users.text.js';

const t = text(usersText);

interface User {
  id: number;
  username: string;
  role: Role;
  createdAt: string;
}

const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];
const ROLE_KEYS = { viewer: 'roleViewer', operator: 'roleOperator', admin: 'roleAdmin' } as const satisfies Record<Role, string>;
const MIN_PASSWORD = 10;
const MAX_PASSWORD = 1024;
const USERNAME_PATTERN = '[A-Za-z0-9][A-Za-z0-9._@\\-]{0,63}';

/**
 * A failed change. Demoting or deleting a user can only conflict (409) when they are the last admin:
 * that is said in words, with the server's own sentence below; anything else gets the usual banner.
 */
function Failure({ error, username }: { error: unknown; username: string | null }) {
  if (error instanceof ApiError && error.status === 409 && username !== null) {
    return html`<div class="error-banner" role="alert">
      <strong>${t('lastAdmin', { username })}</strong>
      <div class="error-detail">${error.message}</div>
    </div>`;
  }
  return html`<${ErrorBanner} error=${error} />`;
}

export function UsersPage(props: PageProps) {
  return html`<${RequireRole} role="admin"><${Users} ...${props} /></${RequireRole}>`;
}

function Users(_props: PageProps) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<{ error: unknown; username: string | null } | null>(null);
  const [notice, setNotice] = useState('');
  const [reloads, setReloads] = useState(0);
  const [resetting, setResetting] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const live = revision.value;
  const me = session.value?.username;

  useEffect(() => {
    api<{ users: User[] }>('GET', '/users').then((r) => setUsers(r.body.users), (err) => setError({ error: err, username: null }));
  }, [reloads, live]);

  /** Runs a change; on success reloads the list and says what happened. */
  const change = async (username: string | null, call: () => Promise<unknown>, done: string): Promise<boolean> => {
    setNotice('');
    try {
      await call();
      setError(null);
      setNotice(done);
      return true;
    } catch (err) {
      setError({ error: err, username });
      return false;
    } finally {
      setReloads((n) => n + 1);
    }
  };

  const setRole = (u: User, role: Role) => void change(u.username, async () => {
    await api('PATCH', `/users/${encodeURIComponent(u.username)}`, { body: { role } });
    // Changing one's own role changes what this console may show.
    if (u.username === me) session.value = toSession((await api('GET', '/session')).body);
  }, t('roleChanged', { username: u.username, role: t(ROLE_KEYS[role]) }));

  return html`<section class="page users-page" aria-labelledby="users-title">
    <h1 id="users-title">${t('title')}</h1>
    <p class="muted">${t('intro')}</p>
    <${AddUser} onAdded=${(username: string) => { setError(null); setNotice(t('added', { username })); setReloads((n) => n + 1); }} />
    <h2 id="users-list-title">${t('listTitle')}</h2>
    ${error ? html`<${Failure} error=${error.error} username=${error.username} />` : null}
    <p role="status" class="notice">${notice}</p>
    ${users === null ? html`<p class="muted" aria-busy="true">${t('loading')}</p>` : html`<div class="table-wrap"><table class="table" aria-labelledby="users-list-title">
      <thead><tr><th scope="col">${t('username')}</th><th scope="col">${t('role')}</th><th scope="col">${t('since')}</th><th scope="col">${t('actions')}</th></tr></thead>
      <tbody>
        ${users.map((u) => html`<tr key=${u.username} data-username=${u.username}>
          <th scope="row">${u.username} ${u.username === me ? html`<span class="muted">${t('you')}</span>` : null}</th>
          <td>
            <label class="visually-hidden" for=${`role-${u.id}`}>${t('roleOf', { username: u.username })}</label>
            <select id=${`role-${u.id}`} value=${u.role} onChange=${(e: Event) => setRole(u, (e.target as HTMLSelectElement).value as Role)}>
              ${ROLES.map((r) => html`<option value=${r}>${t(ROLE_KEYS[r])}</option>`)}
            </select>
          </td>
          <td><${RelativeTime} iso=${u.createdAt} /></td>
          <td class="row-actions">
            <button type="button" class="btn" aria-label=${t('resetPasswordFor', { username: u.username })} onClick=${() => setResetting(u.username)}>${t('resetPassword')}</button>
            <button type="button" class="btn btn-danger" aria-label=${t('deleteUser', { username: u.username })} onClick=${() => setDeleting(u.username)}>${t('delete')}</button>
          </td>
        </tr>`)}
      </tbody>
    </table></div>`}
    ${resetting ? html`<${ResetPassword} username=${resetting}
      onDone=${(ok: boolean) => { setResetting(null); if (ok) { setError(null); setNotice(t('passwordChanged', { username: resetting })); } }} />` : null}
    ${deleting ? html`<${ConfirmDialog} title=${t('deleteTitle', { username: deleting })} confirmLabel=${t('delete')} cancelLabel=${t('cancel')} danger=${true}
      onCancel=${() => setDeleting(null)}
      onConfirm=${() => { const name = deleting; setDeleting(null); void change(name, () => api('DELETE', `/users/${encodeURIComponent(name)}`), t('deleted', { username: name })); }}>
      <p>${t('deleteBody', { username: deleting })}</p>
    </${ConfirmDialog}>` : null}
  </section>`;
}

function AddUser({ onAdded }: { onAdded: (username: string) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api('POST', '/users', { body: { username, password, role } });
      setError(null);
      setUsername('');
      setPassword('');
      setRole('viewer');
      onAdded(username);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<form class="card add-user" aria-labelledby="add-user-title" onSubmit=${submit}>
    <h2 id="add-user-title">${t('addTitle')}</h2>
    <${ErrorBanner} error=${error} />
    <div class="field-row">
      <${Field} id="new-user-name" label=${t('username')} hint=${t('usernameHint')}>
        <input id="new-user-name" name="username" autocomplete="off" required maxlength="64" pattern=${USERNAME_PATTERN} aria-describedby="new-user-name-hint"
          value=${username} onInput=${(e: Event) => setUsername((e.target as HTMLInputElement).value)} />
      </${Field}>
      <${Field} id="new-user-password" label=${t('password')} hint=${t('passwordHint')}>
        <input id="new-user-password" name="password" type="password" autocomplete="new-password" required minlength=${MIN_PASSWORD} maxlength=${MAX_PASSWORD}
          aria-describedby="new-user-password-hint" value=${password} onInput=${(e: Event) => setPassword((e.target as HTMLInputElement).value)} />
      </${Field}>
      <${Field} id="new-user-role" label=${t('role')}>
        <select id="new-user-role" name="role" value=${role} onChange=${(e: Event) => setRole((e.target as HTMLSelectElement).value as Role)}>
          ${ROLES.map((r) => html`<option value=${r}>${t(ROLE_KEYS[r])}</option>`)}
        </select>
      </${Field}>
    </div>
    <button type="submit" class="btn btn-primary" disabled=${busy}>${busy ? t('adding') : t('add')}</button>
  </form>`;
}

function ResetPassword({ username, onDone }: { username: string; onDone: (ok: boolean) => void }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    try {
      await api('PATCH', `/users/${encodeURIComponent(username)}`, { body: { password } });
      onDone(true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return html`<${FormDialog} id="reset-password" title=${t('resetTitle', { username })} submitLabel=${t('save')} cancelLabel=${t('cancel')}
    busy=${busy} onSubmit=${() => void submit()} onCancel=${() => onDone(false)}>
    <p>${t('resetBody', { username })}</p>
    <${ErrorBanner} error=${error} />
    <${Field} id="reset-password-input" label=${t('newPassword')} hint=${t('passwordHint')}>
      <input id="reset-password-input" type="password" autocomplete="new-password" required minlength=${MIN_PASSWORD} maxlength=${MAX_PASSWORD}
        aria-describedby="reset-password-input-hint" value=${password} onInput=${(e: Event) => setPassword((e.target as HTMLInputElement).value)} />
    </${Field}>
  </${FormDialog}>`;
}
