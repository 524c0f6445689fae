// Types of run.js for the TypeScript tests that start the demo in-process.
export const DEMO_ADMIN: Readonly<{ username: string; password: string }>;
export interface DemoOptions {
  /** @default 8080 (0: a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default '.demo-data' in the repository */
  dataDir?: string;
  /** Wipe the directory and seed again. @default true */
  fresh?: boolean;
  /** More server variables (FINCH_SW, FINCH_TTL_SECONDS…). */
  env?: Record<string, string | undefined>;
}
export function startDemo(options?: DemoOptions): Promise<{ url: string; port: number; dataDir: string; reportTokens: 'required' | 'optional'; stop: () => Promise<void> }>;
