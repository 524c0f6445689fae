export { startBrowser, CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.js';
export type { BrowserHandle } from './browser.js';
export { startStaticServer, DIST_WORKER } from './staticServer.js';
export type { StaticServer, StaticServerOptions, Handler } from './staticServer.js';
export { proxyTo } from './proxy.js';
export { runNode, REPO_ROOT } from './runNode.js';
export type { NodeRun } from './runNode.js';
