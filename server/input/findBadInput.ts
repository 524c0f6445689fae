/**
 * One walk over parsed request input (a JSON body, a query, path parameters) for what no schema
 * states and the database refuses: the NUL character (PostgreSQL text and jsonb cannot hold it), lone
 * UTF-16 surrogates (not Unicode; jsonb refuses them), numbers beyond a double (`1e400` parses to
 * Infinity) and nesting past a limit. Keys count as text too. The walk keeps its own stack, so a body
 * nested 100,000 levels deep costs no call stack.
 */

export interface BadInput {
  /** Where, as Fastify's schema errors name it: `body/config/"a b"/3` (odd keys quoted as JSON). */
  field: string;
  /** What is wrong and what to do, as the end of a sentence. */
  problem: string;
  /** The limit that was passed, for nesting. */
  limit?: number;
}

interface Frame {
  value: unknown;
  parent: Frame | null;
  key: string | number;
  depth: number;
}

const NUL = 'contains the NUL character (U+0000), which cannot be stored. Remove it';
const SURROGATE = 'contains a lone UTF-16 surrogate (such as \\ud800 without its pair), which is not text. Send well-formed Unicode';
const NOT_FINITE = 'is a number too large for a double (beyond 1.8e308). Send a smaller number';
const SUSPECT = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Why a string cannot be stored, or null when it can. */
export function textProblem(s: string): string | null {
  if (!SUSPECT.test(s)) return null;
  if (s.includes('\u0000')) return NUL;
  return LONE_SURROGATE.test(s) ? SURROGATE : null;
}

/** Plain data: what JSON.parse and the query parser make. Streams, Buffers and class instances are not walked. */
function isRecord(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

function segment(key: string | number): string {
  if (typeof key === 'number') return `/${key}`;
  const short = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return PLAIN_KEY.test(short) ? `/${short}` : `/${JSON.stringify(short)}`;
}

function fieldOf(frame: Frame, root: string, extra?: string): string {
  const parts: string[] = extra === undefined ? [] : [segment(extra)];
  for (let f: Frame | null = frame; f !== null && f.parent !== null; f = f.parent) parts.push(segment(f.key));
  return root + parts.reverse().join('');
}

/**
 * The first bad value in `input`, or null.
 * @example findBadInput({ name: 'a\u0000' }, 'body', 64) // { field: 'body/name', problem: 'contains the NUL…' }
 */
export function findBadInput(input: unknown, root: string, maxDepth: number): BadInput | null {
  const stack: Frame[] = [{ value: input, parent: null, key: '', depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem !== null) return { field: fieldOf(frame, root), problem };
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { field: fieldOf(frame, root), problem: NOT_FINITE };
    } else if (typeof v === 'object' && v !== null) {
      const isArray = Array.isArray(v);
      if (!isArray && !isRecord(v)) continue;
      const depth = frame.depth + 1;
      if (depth > maxDepth) {
        return { field: fieldOf(frame, root), problem: `nests more than ${maxDepth} levels of arrays and objects. Flatten it`, limit: maxDepth };
      }
      if (isArray) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: frame, key: i, depth });
      } else {
        const keys = Object.keys(v);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i]!;
          const problem = textProblem(key);
          if (problem !== null) return { field: fieldOf(frame, root, key), problem: `has a key that ${problem}` };
          stack.push({ value: v[key], parent: frame, key, depth });
        }
      }
    }
  }
  return null;
}
