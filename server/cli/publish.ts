/** `finch publish`: registers a build from CI (integrity computed here) and uploads it, or points at where it is hosted. */
import { FinchError } from '../../core/FinchError.js';
import { defaultEntryFiles, integrityFiles } from '../model/entryFiles.js';
import { packBuild, readBuildDir } from './packDir.js';
import { parseArgs } from './parseArgs.js';

const HELP = `Usage: finch publish --endpoint <url> --product <name> --version <version> --dir <folder> [options]

Registers a build with the control plane and uploads it (tar.gz, PUT /api/v1/resources/{id}/files);
the server stores it under /releases/<product>/<id>/ and marks it deployed. Running it again with the
same folder is harmless; the same version with other content is refused (409).

Options:
  --endpoint <url>      control plane origin, like https://finch.example.com (or FINCH_ENDPOINT)
  --token <token>       API token with publish scope (or FINCH_TOKEN)
  --product <name>      product key
  --version <version>   build version, like 2.0.0
  --dir <folder>        the build output folder
  --files <a,b>         files the manifest names, in load order (default: the .css then .js files at
                        the top of --dir; lazy chunks load themselves)
  --base-url <url>      the build is hosted there (an origin in the server's FINCH_ASSET_ORIGINS, or
                        a path on it): register it deployed with integrity from --dir, upload nothing
  --config <json>       configuration object handed to the micro-frontend
  --branch <name>       source branch, for the record
  --commit <sha>        source commit, for the record
  --json                print the resource as JSON

Example:
  finch publish --endpoint http://127.0.0.1:8080 --token "$FINCH_TOKEN" --product dashboard --version 2.0.0 --dir build/`;

interface Resource {
  id: number;
  product: string;
  version: string;
  status: string;
  baseUrl: string;
  files: string[];
}

async function request(method: string, url: string, token: string, body: unknown, contentType: string): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType, accept: 'application/json' },
      body: body as RequestInit['body'],
    });
  } catch (err) {
    throw new FinchError('network-error', `Failed to reach ${url}: ${err instanceof Error ? err.message : String(err)}. Check --endpoint.`);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = { error: { code: 'invalid-response', message: text.slice(0, 200) } };
  }
  return { status: res.status, json };
}

function failure(step: string, r: { status: number; json: unknown }): string {
  const err = (r.json as { error?: { code?: string; message?: string } } | null)?.error;
  return `finch publish: ${step} failed with HTTP ${r.status}${err ? ` ${err.code}: ${err.message}` : ''}`;
}

export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const args = parseArgs(argv, {
    endpoint: { type: 'string' },
    token: { type: 'string' },
    product: { type: 'string' },
    version: { type: 'string' },
    dir: { type: 'string' },
    files: { type: 'string' },
    'base-url': { type: 'string' },
    config: { type: 'string' },
    branch: { type: 'string' },
    commit: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (!args.ok) {
    console.error(`finch publish: ${args.message}\n\n${HELP}`);
    return 2;
  }
  const v = args.values;
  const str = (k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const endpoint = str('endpoint') ?? env['FINCH_ENDPOINT'];
  const token = str('token') ?? env['FINCH_TOKEN'];
  const product = str('product');
  const version = str('version');
  const dir = str('dir');
  const missing = [
    endpoint ? null : '--endpoint',
    token ? null : '--token',
    product ? null : '--product',
    version ? null : '--version',
    dir ? null : '--dir',
  ].filter((m): m is string => m !== null);
  if (missing.length > 0 || args.positionals.length > 0) {
    console.error(`finch publish: missing ${missing.join(', ') || 'nothing'}${args.positionals.length ? `; unexpected "${args.positionals.join(' ')}"` : ''}.\n\n${HELP}`);
    return 2;
  }
  let config: Record<string, unknown> | undefined;
  if (str('config') !== undefined) {
    try {
      config = JSON.parse(str('config')!) as Record<string, unknown>;
    } catch {
      console.error('finch publish: --config is not JSON.');
      return 2;
    }
  }

  const build = await readBuildDir(dir!);
  const files = str('files')?.split(',').map((f) => f.trim()).filter((f) => f !== '') ?? defaultEntryFiles(build.files);
  for (const f of files) {
    if (build.integrity[f] === undefined) {
      console.error(`finch publish: "${f}" (from --files) is not in ${dir}.`);
      return 2;
    }
  }
  if (files.length === 0) {
    console.error(`finch publish: no .css or .js file at the top of ${dir}; name the entry files with --files.`);
    return 2;
  }
  const api = `${endpoint!.replace(/\/+$/, '')}/api/v1`;
  const baseUrl = str('base-url');
  const body = {
    product,
    version,
    files,
    integrity: Object.fromEntries(integrityFiles(files, build.files).map((f) => [f, build.integrity[f]!])),
    ...(baseUrl !== undefined ? { baseUrl, status: 'deployed' } : {}),
    ...(config !== undefined ? { config } : {}),
    ...(str('branch') !== undefined ? { branch: str('branch') } : {}),
    ...(str('commit') !== undefined ? { commit: str('commit') } : {}),
  };
  const created = await request('POST', `${api}/resources`, token!, JSON.stringify(body), 'application/json');
  if (created.status !== 200 && created.status !== 201) {
    console.error(failure('registering the build', created));
    return 1;
  }
  let resource = created.json as Resource;
  if (baseUrl === undefined) {
    const archive = await packBuild(build);
    const uploaded = await request('PUT', `${api}/resources/${resource.id}/files`, token!, archive, 'application/gzip');
    if (uploaded.status !== 200) {
      console.error(failure(`uploading resource ${resource.id}`, uploaded));
      return 1;
    }
    resource = uploaded.json as Resource;
  }
  if (v['json'] === true) console.log(JSON.stringify(resource));
  else {
    const again = created.status === 200 ? ' (already published, unchanged)' : '';
    console.log(`finch: ${resource.product} ${resource.version} is resource ${resource.id}, ${resource.status}, at ${resource.baseUrl}${again}`);
  }
  return 0;
}
