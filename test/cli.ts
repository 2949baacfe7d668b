// Runs the revloop CLI as a script would: a child process with its own stdin, stdout, stderr and exit code.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MAIN = path.resolve(import.meta.dirname, '..', 'src', 'cli', 'main.ts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `revloop <args>` on the Node running the tests. By default the child gets a clean environment (PATH, HOME,
 * DATA_DIR = a fresh temp dir, LOG_LEVEL=silent) plus `env`; `inheritEnv` starts from this process's environment.
 * stdin receives `stdin` (or nothing) and is closed.
 */
export function runCli(args: string[], opts: { env?: Record<string, string>; stdin?: string; inheritEnv?: boolean } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'revloop-cli-'));
    const base = opts.inheritEnv ? { ...process.env } : { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd };
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd,
      env: { ...base, DATA_DIR: cwd, LOG_LEVEL: 'silent', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}
