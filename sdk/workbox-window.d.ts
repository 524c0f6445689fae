// workbox-window's `module` field points at its ES5 build (Babel helpers, ~900 B more gzipped); the SDK
// targets browsers with module scripts, so it imports the package's own ES2017 build, typed the same.
declare module 'workbox-window/build/workbox-window.prod.mjs' {
  export { messageSW } from 'workbox-window';
}
