// Types of seed.js for the TypeScript tests that drive the demo's control plane.
export interface DemoBuild {
  version: string;
  strategy: { status: 'full' | 'gray'; rule?: unknown };
}
export const DEMO_PLAN: ReadonlyArray<{ product: string; description: string; builds: DemoBuild[] }>;

export function seedDemo(
  origin: string,
  admin: { username: string; password: string },
): Promise<{ resources: Record<string, number>; strategies: Record<string, number> }>;

export interface CallOptions {
  cookie?: string;
  auth?: string;
  body?: unknown;
  raw?: Uint8Array;
  type?: string;
  headers?: Record<string, string>;
  withHeaders?: boolean;
}
export function client(origin: string): {
  call(method: string, path: string, opts?: CallOptions): Promise<unknown>;
  login(username: string, password: string): Promise<string>;
};
