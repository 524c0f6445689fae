/** Sizes as people read them: 812 B, 312 kB, 4.2 MB (powers of 1000, as file managers show). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${Math.round(n / 1000)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}
