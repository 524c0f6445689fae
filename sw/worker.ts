// dist/finch-sw.js: the ready-made worker served at /finch-sw.js. It only wires events (see installFinch).
// Options come from the registration URL, e.g. `/finch-sw.js?shell=/,/finch.js,/assets/*&prefix=/apps/&origins=https://cdn.example.com`,
// because a ready-made file has no other way to be configured.
import { installFinch } from './installFinch.js';

declare const self: ServiceWorkerGlobalScope;

const query = new URL(self.location.href).searchParams;
const list = (name: string): string[] | undefined => query.get(name)?.split(',').filter(Boolean);

installFinch({ shellFiles: list('shell'), allowedOrigins: list('origins'), assetPrefix: query.get('prefix') ?? undefined });
