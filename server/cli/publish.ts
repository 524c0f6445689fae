/** `finch publish`: registers a build from CI (integrity computed here) and uploads it, or points at where it is hosted. */
import { isFinchError } from '../../core/FinchError.js';
import { integrityFiles } from '../model/entryFiles.js';
import { apiRequest, failure } from './apiRequest.js';
import { absoluteBaseWarning } from './buildOutput/absoluteBase.js';
import { describeEntries, describeLeftOut } from './buildOutput/describeBuild.js';
import { FINCH_BUILD_SOURCE } from './buildOutput/finchBuildManifest.js';
import { findEntries } from './buildOutput/findEntries.js';
import { selectUpload } from './buildOutput/uploadSelection.js';
import { contentTag, nearestPackage, versionCandidates } from './buildDefaults.js';
import { hashFiles, packBuild, readBuildDir } from './packDir.js';
import { parseArgs } from './parseArgs.js';
import { flagTable, resolvePublishOptions } from './publishOptions.js';
import { checkMayRelease, createStrategy, servingAsPlanned, strategyPlan } from './releaseStrategy.js';
import { bodyWithProgress, type ProgressOut, uploadReporter } from './uploadProgress.js';

const HELP = `Usage: finch publish --dir <folder> [--endpoint <url>] [--product <name>] [--version <version>] [options]

Registers a build with the control plane and uploads it (tar.gz, PUT /api/v1/resources/{id}/files);
the server stores it under /releases/<product>/<id>/ and marks it deployed. Running it again with the
same folder is harmless; the same version with other content is refused (409).

The entry files (what a page loads first) are found in the build itself, in this order: the Finch
build manifest .finch/build.json (written by finch-gray/vite and finch-gray/webpack; its hashes are
checked), Vite's .vite/manifest.json, a webpack assets manifest (assets-manifest.json,
asset-manifest.json, manifest.json with "entrypoints") or stats.json, the build's index.html (its
stylesheet links and script tags), else the .css then .js files at the top of --dir. Left out of the
upload: index.html, .finch/build.json, .vite/, the manifest or stats file read, source maps (unless
--with-maps), .DS_Store and Thumbs.db.

Without --product: the product the Finch build manifest names, else the name (without its npm scope)
in the nearest package.json above --dir. Without --version: that package.json's version; when the
server already has that version with other content (a rebuild without a bump), the version with the
content's hash as build metadata, like 1.4.0+3fa9c2d1; with no package.json version, 0.0.0+<hash>.

Options:
  --endpoint <url>      control plane origin, like https://finch.example.com (or FINCH_ENDPOINT)
  --token <token>       API token with publish scope (or FINCH_TOKEN)
  --product <name>      product key (default: see above)
  --version <version>   build version, like 2.0.0 (default: see above)
  --dir <folder>        the build output folder
  --files <a,b>         the entry files, in load order, instead of finding them
  --entry <name>        which entry of a manifest that lists several (its source, like src/main.tsx)
  --with-maps           upload source maps too
  --gray <rule>         make the build gray for the users the rule matches, like '{"percent": 5}'
  --full                make the build full (everyone not in a gray rule); the last full one is kept
                        for rollback. --gray and --full need a token with operate scope too
  --base-url <url>      the build is hosted there (an origin in the server's FINCH_ASSET_ORIGINS, or
                        a path on it): register it deployed with integrity from --dir, upload nothing
  --app-config <json>   configuration object handed to the micro-frontend
  --branch <name>       source branch, for the record
  --commit <sha>        source commit, for the record
  --config <file>       options from this JSON file (default: finch.config.json in --dir, if any);
                        keys as the flags in camelCase (baseUrl, withMaps, appConfig…), never the
                        token; flags win
  --json                print the resource as JSON

Example:
  finch publish --endpoint http://127.0.0.1:8080 --token "$FINCH_TOKEN" --product dashboard --version 2.0.0 --dir dist/ --gray '{"percent": 5}'`;

/** Key in a resource's \`config\` where publish records each entry script's kind (module or classic). */
export const SCRIPT_KINDS_KEY = 'scripts';

interface Resource {
  id: number;
  product: string;
  version: string;
  status: string;
  baseUrl: string;
  files: string[];
}

/** Where progress and notes go: stderr, so --json keeps stdout to the resource alone. */
export interface PublishIo {
  out: ProgressOut;
}

const note = (io: PublishIo, line: string): void => void io.out.write(`${line}\n`);

export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env, io: PublishIo = { out: process.stderr }): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const args = parseArgs(argv, flagTable());
  if (!args.ok) {
    console.error(`finch publish: ${args.message}\n\n${HELP}`);
    return 2;
  }
  try {
    return await publish(args.values, args.positionals, env, io);
  } catch (err) {
    if (!isFinchError(err)) throw err;
    console.error(`finch publish: ${err.message}`);
    return err.code === 'network-error' || err.code === 'unauthorized' || err.code === 'forbidden' ? 1 : 2;
  }
}

async function publish(values: Record<string, string | boolean | undefined>, positionals: string[], env: NodeJS.ProcessEnv, io: PublishIo): Promise<number> {
  const o = await resolvePublishOptions(values);
  const endpoint = o.endpoint ?? env['FINCH_ENDPOINT'];
  const token = o.token ?? env['FINCH_TOKEN'];
  // Product and version may come from the app's package.json; a build folder is needed to look.
  const pkg = o.dir !== undefined && (o.product === undefined || o.version === undefined) ? await nearestPackage(o.dir) : null;
  const missing = [
    endpoint ? null : '--endpoint',
    token ? null : '--token',
    o.product ?? pkg?.product ? null : '--product',
    o.dir ? null : '--dir',
  ].filter((m): m is string => m !== null);
  if (missing.length > 0 || positionals.length > 0) {
    console.error(`finch publish: missing ${missing.join(', ') || 'nothing'}${positionals.length ? `; unexpected "${positionals.join(' ')}"` : ''}.\n\n${HELP}`);
    return 2;
  }
  const product = (o.product ?? pkg!.product)!;
  if (o.product === undefined) note(io, `finch: product ${product}, the name in ${pkg!.file}`);
  const dir = o.dir!;
  const plan = strategyPlan(o.gray, o.full);
  const api = `${endpoint!.replace(/\/+$/, '')}/api/v1`;

  const build = await readBuildDir(dir);
  const found = o.files !== undefined ? null : await findEntries(build, o.entry);
  const selection = selectUpload(build.files, found?.consumed ?? [], o.withMaps === true);
  const files = o.files ?? found?.files ?? [];
  for (const f of files) {
    if (!selection.upload.includes(f)) {
      console.error(`finch publish: "${f}" (an entry file) is not among the files published from ${dir}.`);
      return 2;
    }
  }
  if (files.length === 0) {
    console.error(`finch publish: no entry file found in ${dir}: no Vite or webpack manifest, no index.html with scripts, no .css or .js file at the top. Name the entry files with --files.`);
    return 2;
  }
  const bytes = selection.upload.reduce((n, f) => n + build.sizes[f]!, 0);
  note(io, describeEntries(found ?? { source: '--files', files, scripts: {} }, selection.upload.length, bytes));
  // Hosted elsewhere (--base-url), an absolute base may be the point; the plugins' builds are relative.
  const absolute = o.baseUrl === undefined && found?.source !== FINCH_BUILD_SOURCE ? await absoluteBaseWarning(build) : null;
  if (absolute !== null) note(io, absolute);
  const leftOut = describeLeftOut(selection.leftOut);
  if (leftOut !== null) note(io, leftOut);

  if (plan !== null) await checkMayRelease(api, token!, product, plan);

  const integrity = await hashFiles(build, integrityFiles(files, selection.upload));
  const versions = o.version !== undefined ? [o.version] : versionCandidates(pkg?.version, contentTag(await hashFiles(build, selection.upload)));
  const scripts = found?.scripts ?? {};
  const finchConfig = Object.keys(scripts).length > 0 ? { [SCRIPT_KINDS_KEY]: scripts } : null;
  const userFinch = o.appConfig?.['finch'];
  const config = finchConfig === null ? o.appConfig : {
    ...o.appConfig,
    // What the user wrote under `finch` wins over what was found.
    finch: { ...finchConfig, ...(userFinch !== null && typeof userFinch === 'object' ? userFinch : {}) },
  };
  const body = {
    product,
    version: versions[0],
    files,
    integrity,
    ...(o.baseUrl !== undefined ? { baseUrl: o.baseUrl, status: 'deployed' } : {}),
    ...(config !== undefined ? { config } : {}),
    ...(o.branch !== undefined ? { branch: o.branch } : {}),
    ...(o.commit !== undefined ? { commit: o.commit } : {}),
  };
  let created = await apiRequest('POST', `${api}/resources`, token!, { data: JSON.stringify(body), type: 'application/json' });
  if (created.status === 409 && versions.length > 1) {
    // Only a version taken from package.json: the server has it with other content (a rebuild without a bump).
    note(io, `finch: ${product} ${versions[0]} (from ${pkg!.file}) is already published with other content; publishing as ${versions[1]}`);
    created = await apiRequest('POST', `${api}/resources`, token!, { data: JSON.stringify({ ...body, version: versions[1] }), type: 'application/json' });
  } else if (o.version === undefined && created.status < 300) {
    note(io, `finch: version ${versions[0]}${pkg?.version !== undefined ? `, from ${pkg.file}` : ', from the build\'s content (no package.json version found)'}`);
  }
  if (created.status !== 200 && created.status !== 201) {
    console.error(failure('finch publish', 'registering the build', created));
    return 1;
  }
  let resource = created.json as Resource;
  if (o.baseUrl === undefined) {
    const archive = await packBuild(build, selection.upload);
    const progress = uploadReporter(archive.length, io.out);
    const uploaded = await apiRequest('PUT', `${api}/resources/${resource.id}/files`, token!, {
      data: bodyWithProgress(archive, (n) => progress.sent(n)),
      type: 'application/gzip',
      length: archive.length,
    }).finally(() => progress.stop());
    if (uploaded.status !== 200) {
      console.error(failure('finch publish', `uploading resource ${resource.id}`, uploaded));
      return 1;
    }
    resource = uploaded.json as Resource;
  }
  let made = '';
  const already = plan !== null && created.status === 200 ? await servingAsPlanned(api, token!, product, resource.id, plan) : null;
  if (already !== null) made = `, already ${plan!.status} (strategy ${already})`;
  else if (plan !== null) {
    const strategy = await createStrategy(api, token!, product, resource.id, plan);
    if (strategy.status !== 201) {
      console.error(failure('finch publish', `resource ${resource.id} is published, but making it ${plan.status}`, strategy));
      return 1;
    }
    made = `, now ${plan.status} (strategy ${(strategy.json as { id: number }).id})`;
  }
  if (o.json === true) console.log(JSON.stringify(resource));
  else {
    const again = created.status === 200 ? ' (already published, unchanged)' : '';
    console.log(`finch: ${resource.product} ${resource.version} is resource ${resource.id}, ${resource.status}, at ${resource.baseUrl}${again}${made}`);
  }
  return 0;
}
