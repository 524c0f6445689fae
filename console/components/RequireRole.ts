// A page only some roles may use (users, tokens, the audit log are for admins): anyone else who opens
// its URL reads why instead of a page of buttons that would all answer 403.
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { text } from '../i18n.js';
import { can, type Role } from '../session.js';
import { requireRoleText } from './requireRole.text.js';

const t = text(requireRoleText);

export function RequireRole({ role, children }: { role: Role; children: ComponentChildren }) {
  if (can(role)) return html`${children}`;
  return html`<section class="page" aria-labelledby="not-allowed-title">
    <h1 id="not-allowed-title">${t('notAllowed', { role: t(role) })}</h1>
  </section>`;
}
