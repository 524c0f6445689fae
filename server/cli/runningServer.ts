/**
 * How a `finch serve` on the embedded database tells the `finch` command on the same machine where it
 * listens and how to prove itself: `finch-server.json` in FINCH_DATA_DIR, readable by its owner only.
 * Written once the server listens, removed when it stops; one left by a killed server names a pid
 * that no longer holds the data directory's lock, and is ignored.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface RunningServer {
  pid: number;
  /** Loopback URL of the server, like `http://127.0.0.1:8080`. */
  url: string;
  /** Bearer value of the local admin credential. */
  token: string;
}

export function runningServerFile(dataDir: string): string {
  return path.join(dataDir, 'finch-server.json');
}

/** Written to a temporary name with mode 0600 and renamed, so no reader sees half a file or a wider mode. */
export function writeRunningServer(dataDir: string, info: RunningServer): void {
  const file = runningServerFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(info)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export function readRunningServer(dataDir: string): RunningServer | null {
  try {
    const raw = JSON.parse(readFileSync(runningServerFile(dataDir), 'utf8')) as Partial<RunningServer>;
    if (typeof raw.pid !== 'number' || typeof raw.url !== 'string' || typeof raw.token !== 'string') return null;
    return { pid: raw.pid, url: raw.url, token: raw.token };
  } catch {
    return null;
  }
}

/** Removes the file if it is this process's (a newer server may have replaced it). */
export function removeRunningServer(dataDir: string): void {
  if (readRunningServer(dataDir)?.pid === process.pid) rmSync(runningServerFile(dataDir), { force: true });
}

/** The URL a local client reaches a listening socket at: a wildcard address becomes loopback. */
export function loopbackUrl(address: AddressInfo): string {
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
