/**
 * `--watch` without a server: the reads are scripted, the clock fixed, and the pause between reads
 * zero, so each test is about what is written and when the watch stops, not about time. A terminal
 * gets the block redrawn in place (cursor up over exactly the rows drawn before), a log one line per
 * change; failed reads are retried a bounded number of times; Ctrl-C ends it at once.
 */
import { describe, expect, test } from 'vitest';
import { FinchError } from '../../../core/FinchError.js';
import { liveBlock, terminalRows } from '../../../server/cli/rollout/liveBlock.js';
import { changeLine, renderRollout } from '../../../server/cli/rollout/renderRollout.js';
import { MAX_FAILED_READS, watchRollout, type WatchOptions } from '../../../server/cli/rollout/watchRollout.js';
import type { RolloutInfo } from '../../../core/apiTypes.js';
import { aRollout, iso, T0 } from './rolloutFixture.js';

const NOW = T0 + 10_000;
const STAGE_1 = aRollout({ stageIndex: 0, version: 1 });
const STAGE_2 = aRollout({ stageIndex: 1, version: 2, stageStartedAt: iso(T0 + 5_000), decision: { reason: 'Advanced to stage 2 of 3 (10%).', figures: null, at: iso(T0 + 5_000) } });
const DONE = aRollout({ state: 'completed', stageIndex: 2, version: 4, decision: { reason: 'The build is now full for every user.', figures: null, at: iso(T0 + 9_000) } });

/** What the watch wrote, each write apart, and a read that answers from `script` (a FinchError is thrown). */
function setup(script: Array<RolloutInfo | FinchError>, out: { isTTY?: boolean; columns?: number } = {}) {
  const writes: string[] = [];
  const notes: string[] = [];
  let reads = 0;
  const interrupt = new AbortController();
  const options: WatchOptions = {
    read: async () => {
      const next = script[Math.min(reads++, script.length - 1)]!;
      if (next instanceof FinchError) throw next;
      return next;
    },
    out: { ...out, write: (t: string) => writes.push(t) },
    err: { write: (t: string) => notes.push(t) },
    now: () => NOW,
    version: '2.0.0',
    json: false,
    signal: interrupt.signal,
    intervalMs: 0,
  };
  return { writes, notes, options, interrupt, reads: () => reads };
}

const block = (r: RolloutInfo): string => renderRollout(r, NOW, '2.0.0').map((l) => `${l}\n`).join('');

describe('watchRollout', () => {
  test('on a terminal: each read redraws the block over the rows of the one before', async () => {
    const w = setup([STAGE_1, STAGE_2, DONE], { isTTY: true, columns: 200 });
    expect(await watchRollout(STAGE_1, w.options)).toBe(DONE);
    const rows = renderRollout(STAGE_1, NOW, '2.0.0').length;
    expect(w.writes).toEqual([
      block(STAGE_1),
      `\x1b[${rows}A\r\x1b[J${block(STAGE_1)}`,
      `\x1b[${rows}A\r\x1b[J${block(STAGE_2)}`,
      `\x1b[${rows}A\r\x1b[J${block(DONE)}`,
    ]);
  });

  test('on a narrow terminal the rows counted are the rows drawn, long lines cut', async () => {
    const w = setup([DONE], { isTTY: true, columns: 30 });
    await watchRollout(STAGE_1, w.options);
    const first = w.writes[0]!;
    const rows = first.split('\n').length - 1;
    expect(first.split('\n').every((row) => Array.from(row).length <= 30)).toBe(true);
    expect(rows).toBeGreaterThan(renderRollout(STAGE_1, NOW, '2.0.0').length);
    expect(w.writes[1]!.startsWith(`\x1b[${rows}A\r\x1b[J`)).toBe(true);
  });

  test('in a log: the block once, then one line per change only', async () => {
    const w = setup([STAGE_1, STAGE_2, STAGE_2, DONE]);
    expect(await watchRollout(STAGE_1, w.options)).toBe(DONE);
    expect(w.writes).toEqual([block(STAGE_1), `${changeLine(STAGE_2)}\n`, `${changeLine(DONE)}\n`]);
    expect(w.writes.join('')).not.toContain('\x1b[');
  });

  test('with --json: one JSON object per change, on a terminal too', async () => {
    const w = setup([STAGE_1, STAGE_2, DONE], { isTTY: true });
    await watchRollout(STAGE_1, { ...w.options, json: true });
    expect(w.writes.map((l) => JSON.parse(l).version)).toEqual([1, 2, 4]);
  });

  test('an ended rollout is shown and nothing is read', async () => {
    const w = setup([]);
    expect(await watchRollout(DONE, w.options)).toBe(DONE);
    expect(w.reads()).toBe(0);
    expect(w.writes).toEqual([block(DONE)]);
  });

  test(`an unreachable server is asked ${MAX_FAILED_READS} times in a row, then the error ends the watch`, async () => {
    const down = new FinchError('network-error', 'Failed to reach http://127.0.0.1:9/api/v1/rollouts/7: fetch failed.');
    const w = setup([down]);
    await expect(watchRollout(STAGE_1, w.options)).rejects.toBe(down);
    expect(w.reads()).toBe(MAX_FAILED_READS);
    expect(w.notes).toHaveLength(MAX_FAILED_READS - 1);
    expect(w.notes[0]).toContain('Failed to reach');
  });

  test('a failed read in between is ridden out: a 503, then the rollout again', async () => {
    const busy = new FinchError('internal', 'Internal error. Try again later.', { httpStatus: 503 });
    const w = setup([busy, busy, STAGE_2, busy, DONE], { isTTY: true, columns: 200 });
    expect(await watchRollout(STAGE_1, w.options)).toBe(DONE);
    // On a terminal the note is part of the block, so the next redraw goes up over it too.
    const withNote = w.writes[1]!;
    expect(withNote).toContain('(Internal error. Try again later. Asking again in a moment (1 failed in a row');
    const rowsWithNote = withNote.replace(/^\x1b\[\d+A\r\x1b\[J/, '').split('\n').length - 1;
    expect(w.writes[2]!.startsWith(`\x1b[${rowsWithNote}A`)).toBe(true);
    expect(w.notes).toEqual([]);
  });

  test('a refusal (404, 403) ends the watch at once', async () => {
    const gone = new FinchError('not-found', 'No rollout 7.', { httpStatus: 404 });
    const w = setup([gone]);
    await expect(watchRollout(STAGE_1, w.options)).rejects.toBe(gone);
    expect(w.reads()).toBe(1);
  });

  test('Ctrl-C during a read that never answers ends the watch with null', async () => {
    const w = setup([]);
    w.options.read = () => {
      w.interrupt.abort();
      return new Promise<RolloutInfo>(() => undefined);
    };
    expect(await watchRollout(STAGE_1, w.options)).toBeNull();
  });
});

describe('terminal rows', () => {
  test('lines are cut at the width, counting characters, not bytes', () => {
    expect(terminalRows(['✓ abcdef', 'ab'], 4)).toEqual(['✓ ab', 'cdef', 'ab']);
  });

  test('the first block is written as it is; the next goes up over it and clears', () => {
    const writes: string[] = [];
    const live = liveBlock({ isTTY: true, columns: 4, write: (t) => writes.push(t) });
    live.draw(['abcdef', 'x']);
    live.draw(['y']);
    expect(writes).toEqual(['abcd\nef\nx\n', '\x1b[3A\r\x1b[Jy\n']);
  });

  test('a terminal that says it is 0 columns wide (a pseudo-terminal without a size) is taken as 80', () => {
    const writes: string[] = [];
    liveBlock({ isTTY: true, columns: 0, write: (t) => writes.push(t) }).draw(['x'.repeat(100)]);
    expect(writes).toEqual([`${'x'.repeat(80)}\n${'x'.repeat(20)}\n`]);
  });
});
