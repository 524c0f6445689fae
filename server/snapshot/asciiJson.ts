/**
 * JSON text with every character above U+007E written as a `\uXXXX` escape: the same value to any JSON
 * parser, and one byte per character, so a body's length in bytes is its length in characters and it
 * can be written as latin1 (a copy) instead of being measured and encoded as UTF-8 on every response.
 */
const NON_ASCII = /[\u007f-\uffff]/g;

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `JSON.stringify(value)`, ASCII only. */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  // Most answers are ASCII already; test first so they cost no replace.
  NON_ASCII.lastIndex = 0;
  return NON_ASCII.test(json) ? json.replace(NON_ASCII, escape) : json;
}
