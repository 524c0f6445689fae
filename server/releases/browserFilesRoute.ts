/**
 * `GET /finch.js` (the SDK as a script tag, `window.Finch`) and `GET /finch.mjs` (the SDK as an ES
 * module), read from `dist/` of the installed package, so a page can load the SDK from the control
 * plane it talks to. Read on every request, like the worker: a rebuild is picked up without a restart.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sendError } from '../errors/errorHandler.js';
import { packageDistDir } from './packageDist.js';
import { sendScript } from './sendScript.js';

/** The SDK bundles served at the server's root, by file name. */
export const BROWSER_FILES = ['finch.js', 'finch.mjs'] as const;

export interface BrowserFilesOptions {
  /** @default dist/ of this package */
  distDir?: string;
}

export async function browserFilesRoute(app: FastifyInstance, opts: BrowserFilesOptions): Promise<void> {
  const dir = opts.distDir ?? packageDistDir();
  for (const name of BROWSER_FILES) {
    const file = path.join(dir, name);
    app.get(`/${name}`, { schema: { hide: true }, config: { auth: false } }, async (request, reply) => {
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch {
        return sendError(reply, 404, 'not-found', `Failed to serve the Finch SDK: dist/${name} is missing. Run \`npm run build\`, or reinstall finch-gray-server.`);
      }
      return sendScript(request, reply, body);
    });
  }
}
