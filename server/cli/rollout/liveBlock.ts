/**
 * A block of lines redrawn in place on a terminal: the cursor goes up over the last block, clears to
 * the end of the screen, and the new block is written in one piece (no flicker between the two).
 */
import type { ProgressOut } from '../uploadProgress.js';

/** A terminal or a log; `columns` is the terminal's width. */
export interface LiveOut extends ProgressOut {
  columns?: number;
}

/** Used when a terminal does not say how wide it is. */
const DEFAULT_COLUMNS = 80;

/**
 * Lines cut into rows no wider than the terminal: a line the terminal wraps itself would take rows
 * the cursor-up count does not know about, and each redraw would leave a stale row behind.
 */
export function terminalRows(lines: readonly string[], columns: number): string[] {
  const width = Math.max(1, columns);
  return lines.flatMap((line) => {
    const chars = Array.from(line);
    if (chars.length <= width) return [line];
    const rows: string[] = [];
    for (let i = 0; i < chars.length; i += width) rows.push(chars.slice(i, i + width).join(''));
    return rows;
  });
}

/** Draws blocks on `out`, each replacing the one before. */
export function liveBlock(out: LiveOut): { draw(lines: readonly string[]): void } {
  let drawn = 0;
  return {
    draw(lines) {
      // A pseudo-terminal without a size says 0.
      const rows = terminalRows(lines, out.columns !== undefined && out.columns > 0 ? out.columns : DEFAULT_COLUMNS);
      // ESC[nA: up n rows; \r: first column; ESC[J: clear from there to the end of the screen.
      const back = drawn > 0 ? `\x1b[${drawn}A\r\x1b[J` : '';
      out.write(`${back}${rows.map((r) => `${r}\n`).join('')}`);
      drawn = rows.length;
    },
  };
}
