import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';

/** node:util parseArgs, with its thrown TypeErrors turned into a message for the user. */
export function parseArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
): { ok: true; values: Record<string, string | boolean | undefined>; positionals: string[] } | { ok: false; message: string } {
  try {
    const r = nodeParseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { ok: true, values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
