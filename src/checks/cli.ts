/**
 * The `cdk8s-tke-loopback` command line:
 *
 *   cdk8s-tke-loopback check [--format text|json|sarif] [--fail-on error|warning] <files|dirs|->
 *
 * Exit codes: 0 passed, 1 findings at or above the fail level, 2 usage, read or parse error.
 * It only reads its inputs.
 *
 * Not exported from the package barrel: `bin/cdk8s-tke-loopback` loads this module.
 */
import { LoopbackChecker } from './checker';
import { InputError, readInputs } from './input';
import { CheckRun, locate, renderJson, renderSarif, renderText, TOOL_NAME, toolVersion } from './output';
import { FindingLevel } from './types';
import { runFix } from '../fix/cli';

/** Exit code: no finding at or above the fail level. */
export const EXIT_PASSED = 0;
/** Exit code: at least one finding at or above the fail level. */
export const EXIT_FINDINGS = 1;
/** Exit code: bad usage, or an input that cannot be read or parsed. */
export const EXIT_ERROR = 2;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: ${TOOL_NAME} check [--format text|json|sarif] [--fail-on error|warning] <files|dirs|->

Checks Kubernetes manifests for Tencent Kubernetes Engine (TKE) CLB loopback risks.

Inputs:    YAML (multi-document), JSON, or kind: List files; directories (searched recursively
           for *.yaml, *.yml, *.json); "-" reads standard input, e.g.
           kubectl get svc,ingress,tkeserviceconfigs,ds,cm -A -o yaml | ${TOOL_NAME} check -
Options:   --format    text (default), json or sarif (SARIF 2.1.0)
           --fail-on   error (default) or warning: the lowest finding level that fails the run
           --help, --version
Exit code: 0 passed, 1 findings at or above --fail-on, 2 usage, read or parse error.

Fix mode:  ${TOOL_NAME} fix --help
`;

/** Where the CLI reads and writes; tests and the bin shim pass the process's own streams. */
export interface CliIo {
  /** Writes to standard output. */
  readonly out: (text: string) => void;
  /** Writes to standard error. */
  readonly err: (text: string) => void;
  /** Reads all of standard input. */
  readonly readStdin: () => Promise<string>;
}

/** The options of `check`. */
export interface CheckOptions {
  readonly format: Format;
  readonly failOn: FindingLevel;
  readonly inputs: string[];
}

/** A usage error: the message is printed with the usage text, and the exit code is 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses the arguments after `check`. */
export function parseCheckArgs(args: readonly string[]): CheckOptions {
  let format: Format = 'text';
  let failOn = FindingLevel.ERROR;
  const inputs: string[] = [];
  let onlyInputs = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (onlyInputs || arg === '-' || !arg.startsWith('-')) {
      inputs.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyInputs = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const takeValue = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = args[i + 1];
      if (next === undefined) throw new UsageError(`option ${name} needs a value`);
      i++;
      return next;
    };
    if (name === '--format') {
      const value = takeValue();
      if (!(FORMATS as readonly string[]).includes(value)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${value}"`);
      }
      format = value as Format;
    } else if (name === '--fail-on') {
      const value = takeValue();
      if (value !== FindingLevel.ERROR && value !== FindingLevel.WARNING) {
        throw new UsageError(`--fail-on must be error or warning, got "${value}"`);
      }
      failOn = value;
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }
  if (inputs.length === 0) throw new UsageError('no input: give files, directories, or - for standard input');
  if (inputs.filter((x) => x === '-').length > 1) throw new UsageError('- (standard input) can be given only once');
  return { format, failOn, inputs };
}

/** Reads the inputs, runs the checker and locates its findings. Throws InputError on unreadable input. */
export async function runCheck(options: CheckOptions, readStdin: () => Promise<string>): Promise<CheckRun> {
  const stdinText = options.inputs.includes('-') ? await readStdin() : undefined;
  const input = readInputs(options.inputs, stdinText);
  const report = LoopbackChecker.check(input.objects.map((o) => o.object));
  return locate(input, report, LoopbackChecker.rules(), options.failOn);
}

/** Runs the command line `args` (without `node` and the script) and returns the exit code. */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return EXIT_PASSED;
  }
  if (command === '--version') {
    io.out(`${toolVersion()}\n`);
    return EXIT_PASSED;
  }
  if (command === 'fix') return runFix(rest, io);
  try {
    if (command !== 'check') {
      throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(USAGE);
      return EXIT_PASSED;
    }
    const options = parseCheckArgs(rest);
    const run = await runCheck(options, io.readStdin);
    const render = options.format === 'json' ? renderJson : options.format === 'sarif' ? renderSarif : renderText;
    io.out(render(run));
    return run.failed ? EXIT_FINDINGS : EXIT_PASSED;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${TOOL_NAME}: ${e.message}\n\n${USAGE}`);
      return EXIT_ERROR;
    }
    if (e instanceof InputError) {
      io.err(`${TOOL_NAME}: ${e.message}\n`);
      return EXIT_ERROR;
    }
    throw e;
  }
}

/** The process's own streams. */
export function processIo(): CliIo {
  // `... | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_PASSED);
    throw e;
  });
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      return Buffer.concat(chunks).toString('utf-8');
    },
  };
}
