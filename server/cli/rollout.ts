/**
 * `finch rollout start|status|list|pause|resume|abort|advance`: staged rollouts from a terminal or CI,
 * through the control plane's API (docs/rollouts.md), with a live view of a rollout as it moves.
 */
import { FinchError, isFinchError } from '../../core/FinchError.js';
import { COMMANDS, type RolloutCommand } from '../../core/index.js';
import type { RolloutInfo } from '../../core/apiTypes.js';
import { parseArgs } from './parseArgs.js';
import type { LiveOut } from './rollout/liveBlock.js';
import { renderRollout, rolloutSummary } from './rollout/renderRollout.js';
import { connectionProblem, rolloutApi, type RolloutApi } from './rollout/rolloutApi.js';
import { commandHelp, LIST_HELP, ROLLOUT_HELP, START_HELP, STATUS_HELP } from './rollout/rolloutHelp.js';
import { START_FLAGS, startPlan } from './rollout/startPlan.js';
import { watchRollout } from './rollout/watchRollout.js';

/** Where the command writes, and its clock: the process's by default, a test's when given. */
export interface RolloutIo {
  out: LiveOut;
  err: { write(text: string): unknown };
  now(): number;
}

type Values = Record<string, string | boolean | undefined>;

const CONNECTION_FLAGS = { endpoint: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } } as const;
/** Every command some state accepts: pause, abort, advance, resume. */
const ROLLOUT_COMMANDS: readonly RolloutCommand[] = [...new Set(Object.values(COMMANDS).flat())];

/** The exit status of a usage error, as every `finch` command has it. */
const USAGE = 2;
/** What a shell reports for a process stopped by Ctrl-C (128 + SIGINT). */
const INTERRUPTED = 130;

interface Subcommand {
  help: string;
  flags: Record<string, { type: 'string' | 'boolean' }>;
  /** Takes a rollout id as its one argument. */
  id: boolean;
  run(api: RolloutApi, values: Values, id: number, io: RolloutIo): Promise<number>;
}

const lines = (ls: readonly string[]): string => ls.map((l) => `${l}\n`).join('');

/** Prints `r` (a block, or JSON), or follows it with --watch; the exit status. */
async function show(api: RolloutApi, r: RolloutInfo, values: Values, io: RolloutIo): Promise<number> {
  const json = values['json'] === true;
  const version = json ? null : await api.version(r.resourceId);
  if (values['watch'] !== true) {
    io.out.write(json ? `${JSON.stringify(r)}\n` : lines(renderRollout(r, io.now(), version)));
    return 0;
  }
  const interrupt = new AbortController();
  const onInterrupt = (): void => interrupt.abort();
  // While watching, Ctrl-C ends the watch (exit 130) rather than the process in the middle of a write.
  process.once('SIGINT', onInterrupt);
  try {
    const ended = await watchRollout(r, {
      read: () => api.get(r.id), out: io.out, err: io.err, now: io.now, version, json, signal: interrupt.signal,
    });
    if (ended === null) return INTERRUPTED;
    return ended.state === 'completed' ? 0 : 1;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

async function runCommand(api: RolloutApi, cmd: RolloutCommand, id: number, values: Values, io: RolloutIo): Promise<number> {
  const r = await api.command(id, cmd);
  if (values['json'] === true) io.out.write(`${JSON.stringify(r)}\n`);
  else io.out.write(lines([rolloutSummary(r, await api.version(r.resourceId)), `  ${r.decision.reason}`]));
  return 0;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  start: {
    help: START_HELP, flags: { ...START_FLAGS, watch: { type: 'boolean' } }, id: false,
    run: async (api, values, _id, io) => show(api, await api.start(await startPlan(values)), values, io),
  },
  status: {
    help: STATUS_HELP, flags: { watch: { type: 'boolean' } }, id: true,
    run: async (api, values, id, io) => show(api, await api.get(id), values, io),
  },
  list: {
    help: LIST_HELP, flags: { product: { type: 'string' } }, id: false,
    async run(api, values, _id, io) {
      const product = values['product'];
      if (typeof product !== 'string') throw new FinchError('invalid-input', 'missing --product.');
      const rollouts = await api.list(product);
      if (values['json'] === true) io.out.write(`${JSON.stringify({ rollouts })}\n`);
      else if (rollouts.length === 0) io.out.write(`No rollouts of ${product} yet.\n`);
      else {
        const versions = await api.versions(product);
        io.out.write(lines(rollouts.map((r) => rolloutSummary(r, versions.get(r.resourceId) ?? null))));
      }
      return 0;
    },
  },
  ...Object.fromEntries(ROLLOUT_COMMANDS.map((cmd): [string, Subcommand] => [cmd, {
    help: commandHelp(cmd), flags: {}, id: true,
    run: (api, values, id, io) => runCommand(api, cmd, id, values, io),
  }])),
};

/** A rollout id as the path takes it: 1 to 999,999,999. */
function rolloutId(positionals: string[]): number {
  const [id, ...more] = positionals;
  if (id === undefined || !/^[1-9]\d{0,8}$/.test(id) || more.length > 0) {
    throw new FinchError('invalid-input', id === undefined ? 'missing the rollout id, like 7.' : `takes one rollout id, a whole number like 7 (got "${positionals.join(' ')}").`);
  }
  return Number(id);
}

/**
 * `finch rollout: <message> (<code>)`, then the next step where the answer names one: what a refused
 * command's rollout accepts now, or the live rollout a start collided with.
 */
function serverError(err: FinchError, id: number, io: RolloutIo): number {
  io.err.write(`finch rollout: ${err.message} (${err.code})\n`);
  const allowed = err.details['allowed'];
  if (err.code === 'illegal-transition' && Array.isArray(allowed)) {
    const now = allowed.length === 0 ? `nothing (it is ${String(err.details['from'])})` : allowed.map((c) => `finch rollout ${String(c)} ${id}`).join(', ');
    io.err.write(`Allowed now: ${now}\n`);
  }
  const live = err.details['rolloutId'];
  if (err.code === 'conflict' && typeof live === 'number') io.err.write(`See it with: finch rollout status ${live} --watch\n`);
  return 1;
}

export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env, io: RolloutIo = { out: process.stdout, err: process.stderr, now: Date.now }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out.write(`${ROLLOUT_HELP}\n`);
    return name === undefined ? USAGE : 0;
  }
  const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (sub === undefined) {
    io.err.write(`finch rollout: unknown subcommand "${name}".\n\n${ROLLOUT_HELP}\n`);
    return USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out.write(`${sub.help}\n`);
    return 0;
  }
  const usage = (message: string): number => {
    io.err.write(`finch rollout ${name}: ${message}\nRun "finch rollout ${name} --help" for its options.\n`);
    return USAGE;
  };
  const args = parseArgs(rest, { ...CONNECTION_FLAGS, ...sub.flags });
  if (!args.ok) return usage(args.message);
  let id = 0;
  try {
    if (sub.id) id = rolloutId(args.positionals);
    else if (args.positionals.length > 0) return usage(`takes no arguments besides its options (got "${args.positionals.join(' ')}").`);
    const endpoint = typeof args.values['endpoint'] === 'string' ? args.values['endpoint'] : env['FINCH_ENDPOINT'];
    const token = typeof args.values['token'] === 'string' ? args.values['token'] : env['FINCH_TOKEN'];
    const problem = connectionProblem(endpoint, token);
    if (problem !== null) return usage(problem);
    return await sub.run(rolloutApi(endpoint!, token!), args.values, id, io);
  } catch (err) {
    if (!isFinchError(err)) throw err;
    // Refused here, before anything was sent: the input is at fault. Else the server or the network.
    if (err.details['httpStatus'] === undefined && err.code === 'invalid-input') return usage(err.message);
    return serverError(err, id, io);
  }
}
