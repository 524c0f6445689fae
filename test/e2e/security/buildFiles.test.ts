// A publish token uploads a build whose HTML, SVG and XML files carry a script that mints an admin token
// with whatever session the browser has. A signed-in admin then opens those files every way a browser
// can: typed into the address bar, framed and opened by another site, and with the download
// disposition stripped (a browser that ignores it). The script must never run with the session.
//
// The script mints with a synchronous XMLHttpRequest, so a document that ran it has minted before its
// load event: every check below waits for the browser's own verdict (a download, or a frame's load),
// never for time to pass. A control serves the same bytes as a plain same-origin page and must mint,
// proving that the payload and the session would work.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newResource, tarGz, upload } from '../../server/builds/support.js';
import { startAttackSite, type AttackSite } from './site.js';

const MINT = `var x=new XMLHttpRequest();x.open('POST','/api/v1/tokens',false);x.setRequestHeader('content-type','application/json');` +
  `try{x.send(JSON.stringify({name:'minted:'+location.pathname.slice(0,80),scopes:['admin']}))}catch(e){}`;
const FILES: Record<string, string> = {
  'index.html': `<!doctype html><title>build</title><script>${MINT}</script>`,
  'logo.svg': `<svg xmlns="http://www.w3.org/2000/svg"><script>${MINT}</script></svg>`,
  'feed.xml': `<html xmlns="http://www.w3.org/1999/xhtml"><body><script>${MINT}</script></body></html>`,
  'page.xhtml': `<html xmlns="http://www.w3.org/1999/xhtml"><body><script>${MINT}</script></body></html>`,
};

describe('no file of a build runs with an operator session', () => {
  let site: AttackSite;
  let base = '';

  beforeAll(async () => {
    site = await startAttackSite({
      beforeReady: (app) => {
        // The same response as /releases/… but without Content-Disposition: a browser that ignores it.
        app.get('/no-disposition/*', { config: { auth: false } }, async (request, reply) => {
          const r = await app.inject({ method: 'GET', url: request.url.replace('/no-disposition/', '/releases/') });
          for (const [k, v] of Object.entries(r.headers)) if (k !== 'content-disposition' && k !== 'content-length' && v !== undefined) reply.header(k, v);
          return reply.code(r.statusCode).send(r.rawPayload);
        });
        // The control: the payload as an ordinary page of this origin, no protection at all.
        app.get('/unprotected/:file', { config: { auth: false } }, async (request, reply) =>
          reply.type('text/html; charset=utf-8').send(FILES[(request.params as { file: string }).file] ?? ''));
      },
    });
    const id = await newResource(site.server, 'shop', '1.0.0');
    const entries = Object.entries(FILES).map(([name, content]) => ({ name, content }));
    const r = await upload(site.server, id, await tarGz([{ name: 'main.js', content: 'export {}' }, ...entries]), site.server.auth.publish);
    expect(r.statusCode, r.body).toBe(200);
    base = `${site.origin}/releases/shop/${id}`;
  });
  afterAll(async () => {
    await site?.stop();
  });

  /** Frames `urls` in a page of the attacker's site and resolves when every frame has loaded. */
  async function frameFromAttacker(urls: string[]): Promise<void> {
    site.attacker.routes.set('/frames.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><body></body>');
    });
    const page = await site.context.newPage();
    try {
      await page.goto(`${site.attacker.origin}/frames.html`);
      await page.evaluate((list) => Promise.all(list.map((src) => new Promise<void>((resolve) => {
        const f = document.createElement('iframe');
        f.onload = () => resolve();
        f.src = src;
        document.body.append(f);
      }))), urls);
    } finally {
      await page.close();
    }
  }

  test('the control: the same payload as a plain page of this origin mints a token', async () => {
    await frameFromAttacker([`${site.origin}/unprotected/index.html`]);
    expect(await site.tokensNamed('minted:')).toEqual(['minted:/unprotected/index.html']);
  });

  test.each(Object.keys(FILES))('%s typed into the admin\'s address bar is a download', async (file) => {
    const download = site.admin.waitForEvent('download');
    await site.admin.goto(`${base}/${file}`).catch(() => undefined); // "Download is starting"
    expect((await download).url()).toBe(`${base}/${file}`);
    expect(await site.tokensNamed(`minted:/releases/`)).toEqual([]);
  });

  test('opened from another site in a new tab: a download, never a page', async () => {
    site.attacker.routes.set('/open.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><a id="go" target="_blank">open</a>');
    });
    const page = await site.context.newPage();
    try {
      await page.goto(`${site.attacker.origin}/open.html`);
      for (const file of Object.keys(FILES)) {
        await page.evaluate((href) => document.querySelector('#go')!.setAttribute('href', href), `${base}/${file}`);
        // Chromium reports a download that a new tab started on the tab that opened it, or on the new
        // tab, which closes at once: listen on both from the moment they exist.
        const download = new Promise<string>((resolve) => {
          page.once('download', (d) => resolve(d.url()));
          site.context.once('page', (tab) => tab.once('download', (d) => resolve(d.url())));
        });
        await page.click('#go');
        expect(await download).toBe(`${base}/${file}`);
      }
    } finally {
      await page.close();
    }
    expect(await site.tokensNamed('minted:/releases/')).toEqual([]);
  });

  test('framed by another site with the download disposition stripped: sandboxed, the script never runs', async () => {
    // page.xhtml is application/octet-stream: no browser renders it, with or without the disposition.
    const rendered = Object.keys(FILES).filter((f) => f !== 'page.xhtml');
    await frameFromAttacker(rendered.map((file) => `${site.origin}/no-disposition/shop/${base.split('/').pop()}/${file}`));
    expect(await site.tokensNamed('minted:/no-disposition/')).toEqual([]);
    // The control's token is the only one ever minted.
    expect(await site.tokensNamed('minted:')).toEqual(['minted:/unprotected/index.html']);
  });
});
