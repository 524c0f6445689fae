// finch-gray/sw: for teams with a service worker of their own. The ready-made worker is dist/finch-sw.js.
export { installFinch } from './installFinch.js';
export type { FinchSwOptions } from './options.js';
