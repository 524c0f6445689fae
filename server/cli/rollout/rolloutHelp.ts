/** The help texts of `finch rollout` and its subcommands. */
import type { RolloutCommand } from '../../../core/index.js';
import { DEFAULT_GUARD } from '../../../core/rollout/validatePlan.js';

type Option = readonly [flag: string, text: string];

const CONNECTION: readonly Option[] = [
  ['--endpoint <url>', 'control plane origin, like https://finch.example.com (or FINCH_ENDPOINT)'],
  ['--token <token>', 'API token (or FINCH_TOKEN): any token reads; start and the commands need\nthe operate scope'],
];

/** Options in two columns, the second as wide as the longest flag needs; `\n` continues a text. */
function options(rows: readonly Option[]): string {
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return `Options:\n${rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text.replaceAll('\n', `\n  ${' '.repeat(width)}`)}`).join('\n')}`;
}

const WATCHING = `With --watch it follows the rollout until it ends, asking the server once a second: on a terminal
the block is redrawn in place (stages done ✓, current ▶, ended at ✗; the time left in the current
hold, by this machine's clock; the last decision and its guard figures); in a log it prints one line
per change; with --json one JSON object per line per change. It gives up after 5 failed reads in a
row. Ctrl-C stops watching (exit 130); the rollout goes on, on the server.

Exit status with --watch: 0 completed, 1 rolled back or aborted (or an error), 2 a usage error,
130 Ctrl-C.`;

export const ROLLOUT_HELP = `Usage: finch rollout <subcommand> [options]

Staged rollouts of a build (docs/rollouts.md), through the control plane's API.

Subcommands:
  start                 start a rollout of a build: its stages, guard and what a breach does
  status <id>           show a rollout; --watch follows it live until it ends
  list --product <p>    a product's rollouts, newest first
  pause <id>            stop moving; the gray build keeps its users
  resume <id>           move again from the same stage; its hold starts again
  abort <id>            end it: every user back on the stable build
  advance <id>          go to the next stage now (or full from the last)

Run "finch rollout <subcommand> --help" for its options.

Example:
  export FINCH_ENDPOINT=https://finch.example.com FINCH_TOKEN=...
  finch rollout start --product shop --resource 42 --stages 1:10m,10:30m,50:1h --watch`;

export const START_HELP = `Usage: finch rollout start --product <name> --resource <id> --stages <percent:hold,…> [options]

Starts a staged rollout of a build (POST /api/v1/rollouts) and prints it. The server then advances
it on its own: each stage serves the build to a larger share of users (the same users stay in),
holds, is judged by the guard, and after the last stage the build becomes full. A plan file gives
the whole plan (batches of targets, stage checks, a salt too); flags override its fields. The plan
is checked here as the server checks it, before anything is sent.

${WATCHING}

${options([
  ...CONNECTION,
  ['--product <name>', 'the product'],
  ['--resource <id>', 'the build to roll out (a resource id, as "finch publish" prints it)'],
  ['--stages <list>', 'percent:hold pairs, rising: 1:600,10:1800,50:3600; the hold in seconds\nor with a unit (90s, 30m, 2h, 1d)'],
  ['--plan <file>', 'a JSON plan: {"product", "resourceId", "stages", "guard", "onBreach",\n"priority", "salt"}, as docs/rollouts.md describes it'],
  ['--guard <json>', 'the guard as JSON: {"minExposures"?, "maxFallbackRate"?, "maxErrorRate"?,\n"compareToStable"?, "tolerance"?}, at least one limit or compareToStable'],
  ['--min-exposures <n>', `the guard waits for this many exposures before it judges a stage\n(default ${DEFAULT_GUARD.minExposures})`],
  ['--max-fallback-rate <r>', 'the most the gray build\'s fallback rate may be: 0.02 or 2%'],
  ['--max-error-rate <r>', 'the most its runtime-error rate may be: 0.05 or 5%'],
  ['--compare-to-stable', `also breach when a rate is above the stable build's by more than\n--tolerance (default ${DEFAULT_GUARD.tolerance * 100} point)`],
  ['--tolerance <r>', 'with --compare-to-stable: 0.01 or 1%'],
  ['--on-breach <what>', 'rollback (default: a breach means real users fail) or pause'],
  ['--priority <n>', '-999 to 999, orders this rollout against others of the product\n(default 0)'],
  ['--watch', 'follow it until it ends'],
  ['--json', 'print the rollout as JSON'],
])}

Examples:
  finch rollout start --product shop --resource 42 --stages 1:10m,10:30m,50:1h \\
    --min-exposures 200 --max-fallback-rate 2% --max-error-rate 5% --on-breach rollback --watch
  finch rollout start --plan rollout.json --resource 43`;

export const STATUS_HELP = `Usage: finch rollout status <id> [--watch] [--json]

Shows a rollout (GET /api/v1/rollouts/{id}): its build, state, stages, the time left in the current
hold, its guard, and the last decision with the figures it rested on.

${WATCHING}

${options([...CONNECTION, ['--watch', 'follow it until it ends'], ['--json', 'print the rollout as the API answers it']])}

Examples:
  finch rollout status 7
  finch rollout status 7 --watch`;

export const LIST_HELP = `Usage: finch rollout list --product <name> [--json]

Lists a product's rollouts, newest first (GET /api/v1/products/{name}/rollouts), one line each.

${options([...CONNECTION, ['--product <name>', 'the product'], ['--json', 'print {"rollouts": [...]} as the API answers it']])}

Example:
  finch rollout list --product shop`;

const COMMAND_WHAT: Record<RolloutCommand, string> = {
  pause: 'Pauses a running rollout: nothing moves, and the gray build keeps the users it has.',
  resume: 'Resumes a paused rollout at its stage; the stage\'s hold and guard window start again.',
  abort: 'Aborts a running or paused rollout: its gray strategy goes off, every user is back on the\nstable build.',
  advance: 'Advances a running or paused rollout to its next stage now (or makes the build full from the\nlast stage), without waiting for the hold, the guard or the check.',
};

export function commandHelp(cmd: RolloutCommand): string {
  return `Usage: finch rollout ${cmd} <id> [--json]

${COMMAND_WHAT[cmd]}
Prints the rollout's new state. A command its state does not accept is refused
(409 illegal-transition), with the commands it does accept.

${options([...CONNECTION, ['--json', 'print the rollout as JSON']])}

Example:
  finch rollout ${cmd} 7`;
}
