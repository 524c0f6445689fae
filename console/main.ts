// The console's entry: the stylesheet is a separate hashed file linked from index.html (strict CSP:
// no inline styles), so this only mounts the shell.
import { html, render } from 'htm/preact';
import { App } from './app.js';

const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
