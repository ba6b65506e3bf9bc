/**
 * Runs the real `cdk8s-tke-loopback` binary (bin/ + the compiled lib/) in a child process.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../../src/checks/cli';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'cdk8s-tke-loopback');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'cli');

/** Fails with a clear message when lib/ has not been compiled: the binary runs the compiled code. */
export function requireCompiledLib(): void {
  const cli = path.join(REPO_ROOT, 'lib', 'checks', 'cli.js');
  if (!fs.existsSync(cli)) {
    throw new Error(`${cli} does not exist: run "npx projen compile" first (the CLI tests spawn the compiled binary)`);
  }
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/cdk8s-tke-loopback <args>` with cwd test/fixtures/cli, optionally feeding stdin. */
export function runBin(args: string[], options: { input?: string; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? FIXTURES,
    input: options.input ?? '',
    encoding: 'utf-8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `runCli` in this process through its I/O seam (standard output and error collected, standard input
 * given, relative paths read from `cwd`, test/fixtures/cli by default): the same result as `runBin`, without
 * starting a process. Keep `runBin` for what only a process shows (exit status, real streams, the bin shim).
 */
export async function runInProcess(args: string[], options: { input?: string; cwd?: string } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    readStdin: async () => options.input ?? '',
    cwd: options.cwd ?? FIXTURES,
  });
  return { code, stdout, stderr };
}
