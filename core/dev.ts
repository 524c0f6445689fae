declare const __FINCH_DEV__: boolean | undefined;

/**
 * Development-only text and checks sit behind this flag. The browser bundles replace `__FINCH_DEV__`
 * with `false` at build time so long messages fall out; the server and the tests keep them.
 */
export const DEV: boolean = typeof __FINCH_DEV__ === 'undefined' ? true : __FINCH_DEV__;
