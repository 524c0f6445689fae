/**
 * The Vite settings of `format: 'classic'`: one IIFE with every dynamic import inlined, because a
 * classic script has no `import.meta` and cannot `import()` its own chunks. The cost: lazy routes and
 * components are no longer split off, so the whole app downloads with the entry; CSS lands in the
 * script (Vite injects it as a `<style>` when the script runs).
 */
import path from 'node:path';
import type { UserConfig } from 'vite';

/** Inside the IIFE: the script's own URL, kept while the script runs (set by the chunk's intro). */
const SCRIPT_URL = '__finchScriptUrl';

/**
 * The URL of the running script of `product`, whose file sits in `dir` of the build (`assets/`).
 * qiankun evaluates the script's text, so there is no current script: then the build's folder that
 * Finch's qiankun adapter put on `window.FinchBase` stands in, and the host page's URL last of all.
 */
export function scriptUrl(product: string, dir: string): string {
  const base = `window.FinchBase && window.FinchBase[${JSON.stringify(product)}]`;
  return `document.currentScript && document.currentScript.src || ${base} && new URL(${JSON.stringify(dir)}, ${base}).href || document.baseURI`;
}

/** The folder of a file of the build, as a relative URL: `assets/` for `assets/index.js`, `./` at the top. */
const folderOf = (file: string): string => {
  const dir = path.posix.dirname(file);
  return dir === '.' ? './' : `${dir}/`;
};

/**
 * The config Vite merges in. Asset URLs in the code are made from the script's URL, kept when the
 * script starts: Vite's own fallback reads `document.currentScript` where the URL is used, and inlined
 * lazy modules run later, from a mount, when there is no current script and the URL would fall to the
 * host page's. Code that runs before the intro (Vite puts injected CSS first) still has its script.
 */
export function classicConfig(user: UserConfig, product: string): UserConfig {
  return {
    build: {
      rollupOptions: {
        // Vite inlines dynamic imports itself for an IIFE. The chunk's folder has no hash in it, so
        // the name is final here.
        output: { format: 'iife', intro: (chunk) => `var ${SCRIPT_URL} = ${scriptUrl(product, folderOf(chunk.fileName))};` },
      },
      // Preload tags are for module chunks; an IIFE has none.
      modulePreload: false,
    },
    ...(user.experimental?.renderBuiltUrl === undefined ? {
      experimental: {
        // For code, `hostId` is the file name of the chunk that holds the URL.
        renderBuiltUrl: (filename: string, { hostType, hostId }: { hostType: string; hostId: string }) => {
          if (hostType !== 'js') return { relative: true };
          const relative = path.posix.relative(path.posix.dirname(hostId), filename);
          return { runtime: `new URL(${JSON.stringify(relative)}, typeof ${SCRIPT_URL} === "string" ? ${SCRIPT_URL} : ${scriptUrl(product, folderOf(hostId))}).href` };
        },
      },
    } : {}),
  };
}

/** `import.meta` beyond what Vite replaces at build time (`env`, `hot`, `glob`): an IIFE turns it into `{}`. */
const RUNTIME_IMPORT_META = /\bimport\.meta\b(?!\s*\.\s*(?:env|hot|glob)\b)/;

/**
 * Why a module of the app cannot run as a classic script, or null. Rolldown's own warning also fires
 * for Vite's preload wrapper around every `import()`, which is harmless here (nothing is preloaded),
 * so the plugin silences it and names the user's modules itself.
 */
export function classicProblem(code: string, id: string): string | null {
  // The app's own script files; Vite's generated modules (assets, CSS, virtual ids) are not the user's.
  if (id.startsWith('\0') || id.includes('/node_modules/') || !/\.(?:[cm]?[jt]sx?|vue|svelte)$/.test(id)) return null;
  return RUNTIME_IMPORT_META.test(code) ? `${id} reads import.meta, which a classic script does not have (it becomes {}). Use a module build, or pass the value in through mount's props.` : null;
}
