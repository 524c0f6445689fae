import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';

/** One line naming the machine, because a figure means nothing without it. */
export function describeMachine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown cpu';
  const gib = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  return (
    `${model}, ${list.length} cores, ${gib(totalmem())} memory (${gib(freemem())} free), ` +
    `${osType()} ${release()}, Node ${process.version}, load average at start ${load}`
  );
}
