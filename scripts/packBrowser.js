// Fills packages/finch-gray/dist from the build, so the browser package ships only browser files:
// the bundles, their type declarations, core compiled for Node and bundlers (no server code), and the
// Vite and webpack plugins that build a micro-frontend for it.
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';

const FROM = 'dist';
const TO = 'packages/finch-gray/dist';
const FILES = ['finch.mjs', 'finch.js', 'finch-single-spa.mjs', 'finch-qiankun.mjs', 'finch-sw.mjs', 'finch-sw.js'];
/** The bundler plugins, built apart in dist/bundler/ (the server package ships dist/*.js). */
const PLUGINS = ['vite.js', 'webpack.js'];

/**
 * Copies into a fresh folder and swaps it in whole, so no file of an earlier build lingers in the package.
 * The fresh folder sits inside dist/, which git ignores, in case a build is interrupted.
 */
export function packBrowser() {
  const next = `${FROM}/.finch-gray-next`;
  rmSync(next, { recursive: true, force: true });
  for (const file of FILES) cpSync(`${FROM}/${file}`, `${next}/${file}`);
  for (const file of PLUGINS) cpSync(`${FROM}/bundler/${file}`, `${next}/${file}`);
  cpSync(`${FROM}/types`, `${next}/types`, { recursive: true });
  cpSync(`${FROM}/node/core`, `${next}/core`, { recursive: true });
  if (existsSync(TO)) rmSync(TO, { recursive: true, force: true });
  renameSync(next, TO);
}
