/**
 * Turns a valid example body into hostile JSON text: one field or several replaced (nested fields too),
 * a hostile key added, or the whole body replaced. Values are spliced in as text through markers, so a
 * value may be anything a client can send, deeper than JSON.stringify could write.
 */
import fc from 'fast-check';
import { hostileJson, hostileKey } from './hostile.js';

type Path = Array<string | number>;

function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push([...at, i]); pathsOf(v, [...at, i], out); });
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) { out.push([...at, k]); pathsOf(v, [...at, k], out); }
  }
  return out;
}

function objectPathsOf(value: unknown): Path[] {
  const all: Path[] = [[], ...pathsOf(value)];
  return all.filter((p) => {
    const v = get(value, p);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  });
}

function get(value: unknown, path: Path): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function set(value: unknown, path: Path, to: unknown): void {
  const parent = get(value, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = to;
}

const marker = (i: number): string => `@@fuzz-${i}@@`;

/** `JSON.stringify(body)` with each marker string replaced by its raw JSON text. */
function splice(body: unknown, texts: string[], keys: Array<[number, string]> = []): string {
  let text = JSON.stringify(body);
  for (const [i, key] of keys) text = text.split(JSON.stringify(marker(1000 + i))).join(JSON.stringify(key));
  texts.forEach((t, i) => { text = text.split(JSON.stringify(marker(i))).join(t); });
  return text;
}

export interface Mutation {
  kind: string;
  text: string;
}

/** Hostile JSON texts derived from `example` (an object), plus the example itself now and then. */
export function mutatedBody(example: Record<string, unknown>): fc.Arbitrary<Mutation> {
  const paths = pathsOf(example);
  const objects = objectPathsOf(example);
  const clone = (): Record<string, unknown> => structuredClone(example);
  const options: Array<fc.WeightedArbitrary<Mutation>> = [
    { weight: 1, arbitrary: fc.constant({ kind: 'valid', text: JSON.stringify(example) }) },
    { weight: 2, arbitrary: hostileJson.map((text) => ({ kind: 'whole body', text })) },
    {
      weight: 1,
      arbitrary: fc.nat().map((n) => {
        const text = JSON.stringify(example);
        return { kind: 'truncated', text: text.slice(0, n % text.length) };
      }),
    },
  ];
  if (paths.length > 0) {
    options.push({
      weight: 6,
      arbitrary: fc.tuple(fc.constantFrom(...paths), hostileJson).map(([path, value]) => {
        const body = clone();
        set(body, path, marker(0));
        return { kind: `field ${path.join('.')}`, text: splice(body, [value]) };
      }),
    });
    options.push({
      weight: 2,
      arbitrary: fc.array(fc.tuple(fc.constantFrom(...paths), hostileJson), { minLength: 2, maxLength: 5 }).map((changes) => {
        const body = clone();
        const texts: string[] = [];
        for (const [path, value] of changes) {
          // A parent replaced earlier has no children left to replace.
          const parent = get(body, path.slice(0, -1));
          if (parent === null || typeof parent !== 'object') continue;
          set(body, path, marker(texts.length));
          texts.push(value);
        }
        return { kind: 'several fields', text: splice(body, texts) };
      }),
    });
  }
  options.push({
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...objects), hostileKey, hostileJson).map(([path, key, value]) => {
      const body = clone();
      (get(body, path) as Record<string, unknown>)[marker(1000)] = marker(0);
      return { kind: `extra key at ${path.join('.') || 'top'}`, text: splice(body, [value], [[0, key]]) };
    }),
  });
  return fc.oneof(...options);
}
