/**
 * One table per snapshot from user id to the plain user-list strategies naming that user, in every
 * product. Resolution asks it once per request, not once per product or per list: with 1,000,000 listed
 * ids, each probe of a big hash table costs a cache and TLB miss or several, so the number of probes is
 * what decides whether the resolver stays flat as lists grow.
 *
 * Open addressing over typed arrays rather than a `Map`: a miss (the common case: most users are in no
 * list of a given product) reads one slot pair of an Int32Array and compares 32-bit hashes, where a V8
 * Map walks a bucket chain and loads every chained key string. Keys are still compared in full on a
 * hash match, so collisions never change an answer.
 */

export interface UserIndex {
  readonly mask: number;
  /** Slot pairs `[hash, record]`; record -1 marks an empty slot. */
  readonly slots: Int32Array;
  /** The user id of each slot ('' when empty). */
  readonly keys: readonly string[];
  /**
   * Records, one per user: `[count, product, ordinal, product, ordinal, …]`, pairs sorted by product
   * then ordinal (the index into that product's gray candidates, best first).
   */
  readonly records: Int32Array;
  /** One-entry memo: one request resolves every product for the same user, so it probes once. */
  lastUser: string | null;
  lastRecord: number;
}

/** FNV-1a over UTF-16 code units, then murmur3's finalizer: sequential ids must not cluster. */
export function hashUserId(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** What compileSnapshot collects: parallel arrays of `(user, product, ordinal)` triples. */
export interface UserEntries {
  users: string[];
  products: number[];
  ordinals: number[];
}

/** Builds the index; `entries` must come in ascending product, then ordinal, order. */
export function buildUserIndex(entries: UserEntries): UserIndex {
  const { users, products, ordinals } = entries;
  const n = users.length;
  let cap = 16;
  // At most half full, so probes stay short; sized by entries, an upper bound of distinct users.
  while (cap < n * 2) cap *= 2;
  const mask = cap - 1;
  const slots = new Int32Array(cap * 2);
  for (let j = 0; j < cap; j++) slots[2 * j + 1] = -1;
  const keys: string[] = new Array<string>(cap).fill('');
  // Pass 1: a number per distinct user, and how many distinct pairs each has.
  const userOf = new Int32Array(n);
  const counts: number[] = [];
  const lastEntry: number[] = [];
  for (let e = 0; e < n; e++) {
    const u = users[e] as string;
    const h = hashUserId(u);
    let j = h & mask;
    let id = -1;
    for (;;) {
      const r = slots[2 * j + 1] as number;
      if (r === -1) {
        id = counts.length;
        slots[2 * j] = h;
        slots[2 * j + 1] = id;
        keys[j] = u;
        counts.push(0);
        lastEntry.push(-1);
        break;
      }
      if (slots[2 * j] === h && keys[j] === u) {
        id = r;
        break;
      }
      j = (j + 1) & mask;
    }
    userOf[e] = id;
    const last = lastEntry[id] as number;
    // A user named twice in one list is recorded once.
    if (last >= 0 && products[last] === products[e] && ordinals[last] === ordinals[e]) {
      userOf[e] = -1;
      continue;
    }
    lastEntry[id] = e;
    counts[id] = (counts[id] as number) + 1;
  }
  // Pass 2: record offsets, then the pairs in the order they were added (already sorted).
  const offsets = new Int32Array(counts.length);
  let size = 0;
  for (let u = 0; u < counts.length; u++) {
    offsets[u] = size;
    size += 1 + 2 * (counts[u] as number);
  }
  const records = new Int32Array(size);
  const fill = Int32Array.from(offsets, (o) => o + 1);
  for (let u = 0; u < counts.length; u++) records[offsets[u] as number] = counts[u] as number;
  for (let e = 0; e < n; e++) {
    const u = userOf[e] as number;
    if (u < 0) continue;
    const at = fill[u] as number;
    records[at] = products[e] as number;
    records[at + 1] = ordinals[e] as number;
    fill[u] = at + 2;
  }
  for (let j = 0; j < cap; j++) {
    const r = slots[2 * j + 1] as number;
    if (r >= 0) slots[2 * j + 1] = offsets[r] as number;
  }
  return { mask, slots, keys, records, lastUser: null, lastRecord: -1 };
}

/** The offset of `userId`'s record in `index.records`, or -1 when no indexed list names the user. */
export function userRecord(index: UserIndex, userId: string): number {
  if (userId === index.lastUser) return index.lastRecord;
  const { slots, mask, keys } = index;
  const h = hashUserId(userId);
  let j = h & mask;
  let record = -1;
  for (;;) {
    const r = slots[2 * j + 1] as number;
    if (r === -1) break;
    if (slots[2 * j] === h && keys[j] === userId) {
      record = r;
      break;
    }
    j = (j + 1) & mask;
  }
  index.lastUser = userId;
  index.lastRecord = record;
  return record;
}
