/**
 * The `cdk8s-tke-loopback` command line:
 *
 *   cdk8s-tke-loopback check [options] <files|dirs|->
 *
 * Exit codes: 0 passed; 1 findings at or above the fail level (every input read); 2 usage error, an input
 * that cannot be read or parsed (reported with everything else first), nothing checked (no file, no
 * Kubernetes object) without `--allow-empty`, or the report cannot be written. It only reads its inputs.
 *
 * Not exported from the package barrel: `bin/cdk8s-tke-loopback` loads this module.
 */
import { LoopbackChecker } from './checker';
import { DEFAULT_MAX_INPUT_BYTES, InputError, ParsedInput, STDIN_NAME } from './input';
import { readInputs } from './input-files';
import { CheckRun, escapeControl, locate, renderJson, renderSarif, renderText, RunError, runErrorOf, runErrorText, TOOL_NAME, toolVersion } from './output';
import { parseFailOn } from './private/severity';
import { FindingLevel, KubeProxyMode, LoopbackCheckOptions } from './types';
import { runFix } from '../fix/cli';
import { TkeIds } from '../tke/ids';

/** Exit code: no finding at or above the fail level, every input read, something checked. */
export const EXIT_PASSED = 0;
/** Exit code: at least one finding at or above the fail level. */
export const EXIT_FINDINGS = 1;
/** Exit code: bad usage, an input that cannot be read or parsed, nothing checked, or output that cannot be written. */
export const EXIT_ERROR = 2;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: ${TOOL_NAME} check [options] <files|dirs|->

Checks Kubernetes manifests for Tencent Kubernetes Engine (TKE) CLB loopback risks.

Inputs:    YAML (multi-document), JSON, or kind: List files (UTF-8 or UTF-16); directories (searched
           recursively for *.yaml, *.yml, *.json); "-" reads standard input, e.g.
           kubectl get svc,ingress,tkeserviceconfigs,ds,cm -A -o yaml | ${TOOL_NAME} check -
           Render Helm charts first: helm template ... | ${TOOL_NAME} check -
Options:   --format        text (default), json or sarif (SARIF 2.1.0)
           --fail-on       error (default) or warning: the lowest finding level that fails the run
           --private-clb   lb-xxxxxxxx[,...]: existing CLBs that are private-network (objects reusing them
                           are judged as private); repeatable
           --public-clb    lb-xxxxxxxx[,...]: existing CLBs that are public-network; repeatable
           --proxy-mode    ipvs or iptables: the cluster's kube-proxy mode (default: read from the
                           kube-proxy DaemonSet or ConfigMap in kube-system, else ipvs); in iptables
                           mode the layer-4 rules do not run
           --allow-empty   exit 0 when nothing was checked (no file or no Kubernetes object)
           --max-input-mb  the most MiB read from one file or standard input (default ${DEFAULT_MAX_INPUT_BYTES / 1024 / 1024})
           --help, --version
Exit code: 0 passed; 1 findings at or above --fail-on; 2 usage error, an input that cannot be read or
           parsed (the rest is still checked and reported), nothing checked, or output not written.

Fix mode:  ${TOOL_NAME} fix --help
`;

/** Where the CLI reads and writes; tests and the bin shim pass the process's own streams. */
export interface CliIo {
  /** Writes to standard output. */
  readonly out: (text: string) => void;
  /** Writes to standard error. */
  readonly err: (text: string) => void;
  /**
   * Reads standard input: at most `maxBytes` + 1 bytes (more than `maxBytes` is then reported as too large),
   * as text or as bytes (bytes are decoded like files: UTF-8 or UTF-16).
   */
  readonly readStdin: (maxBytes?: number) => Promise<string | Buffer>;
  /** The directory relative input paths are read from (tests run the CLI in process with it); the process's when undefined. */
  readonly cwd?: string;
}

/** The options of `check`. */
export interface CheckOptions {
  readonly format: Format;
  readonly failOn: FindingLevel;
  readonly inputs: string[];
  /** Exit 0 when nothing was checked. */
  readonly allowEmpty?: boolean;
  /** The most bytes read from one source. */
  readonly maxBytes?: number;
  /** What the manifests cannot tell the checker (CLB ids, proxy mode). */
  readonly checkOptions?: LoopbackCheckOptions;
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
  let allowEmpty = false;
  let maxBytes: number | undefined;
  let proxyMode: KubeProxyMode | undefined;
  const privateClbIds: string[] = [];
  const publicClbIds: string[] = [];
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
      try {
        failOn = parseFailOn(value, '--fail-on');
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } else if (name === '--allow-empty') {
      if (eq >= 0) throw new UsageError('--allow-empty takes no value');
      allowEmpty = true;
    } else if (name === '--private-clb' || name === '--public-clb') {
      const value = takeValue();
      const ids = value.split(',').map((x) => x.trim()).filter((x) => x !== '');
      const bad = ids.find((id) => !TkeIds.isLoadBalancerId(id));
      if (ids.length === 0 || bad !== undefined) {
        throw new UsageError(`${name} takes CLB ids like lb-abcd1234 (lb- and 8 lowercase letters or digits), separated by commas, got "${bad ?? value}"`);
      }
      (name === '--private-clb' ? privateClbIds : publicClbIds).push(...ids);
    } else if (name === '--proxy-mode') {
      const value = takeValue().toLowerCase();
      if (value !== KubeProxyMode.IPVS && value !== KubeProxyMode.IPTABLES) {
        throw new UsageError(`--proxy-mode must be ipvs or iptables, got "${value}"`);
      }
      proxyMode = value as KubeProxyMode;
    } else if (name === '--max-input-mb') {
      const value = takeValue();
      const mb = Number(value);
      if (!/^\d+$/.test(value) || mb < 1) throw new UsageError(`--max-input-mb must be a whole number of MiB (1 or more), got "${value}"`);
      maxBytes = mb * 1024 * 1024;
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }
  if (inputs.length === 0) throw new UsageError('no input: give files, directories, or - for standard input');
  if (inputs.filter((x) => x === '-').length > 1) throw new UsageError('- (standard input) can be given only once');
  const both = privateClbIds.find((id) => publicClbIds.includes(id));
  if (both !== undefined) throw new UsageError(`CLB ${both} is given to both --private-clb and --public-clb`);
  const checkOptions: LoopbackCheckOptions = {
    ...(privateClbIds.length > 0 ? { privateClbIds } : {}),
    ...(publicClbIds.length > 0 ? { publicClbIds } : {}),
    ...(proxyMode !== undefined ? { proxyMode } : {}),
  };
  return { format, failOn, inputs, allowEmpty, checkOptions, ...(maxBytes !== undefined ? { maxBytes } : {}) };
}

/** Why nothing was checked, or undefined when something was. */
export function nothingChecked(input: ParsedInput, inputs: readonly string[]): string | undefined {
  if (input.objects.length > 0) return undefined;
  const why = input.files.length === 0
    ? `no manifest files (*.yaml, *.yml, *.json) found in ${inputs.map((x) => (x === '-' ? STDIN_NAME : x)).join(', ')}`
    : `no Kubernetes object (a document with apiVersion and kind) in ${input.files.length === 1 ? input.files[0] : `${input.files.length} files`}`;
  return `nothing was checked: ${why}. An empty input is not a pass (a failed kubectl or helm upstream gives one); ` +
    'pass --allow-empty if it is expected';
}

/**
 * Reads the inputs (every one that can be read), runs the checker and locates its findings. Inputs that
 * cannot be read or parsed, and an empty input without `allowEmpty`, are the run's `errors`.
 */
export async function runCheck(options: CheckOptions, readStdin: (maxBytes?: number) => Promise<string | Buffer>, cwd?: string): Promise<CheckRun> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const errors: RunError[] = [];
  let stdin: string | Buffer | undefined;
  if (options.inputs.includes('-')) {
    try {
      stdin = await readStdin(maxBytes);
    } catch (e) {
      errors.push({ file: STDIN_NAME, message: `cannot read: ${(e as any)?.code ?? (e instanceof Error ? e.message : String(e))}` });
      stdin = '';
    }
  }
  const input = readInputs(options.inputs, stdin, { continueOnError: true, maxBytes, slim: true, ...(cwd !== undefined ? { baseDir: cwd } : {}) });
  errors.push(...input.errors.map(runErrorOf));
  const report = LoopbackChecker.check(input.objects.map((o) => o.object), options.checkOptions ?? {});
  const empty = options.allowEmpty ? undefined : nothingChecked(input, options.inputs);
  if (empty !== undefined && errors.length === 0) errors.push({ message: empty });
  const run = locate(input, report, LoopbackChecker.rules(), options.failOn, errors);
  return cwd === undefined ? run : { ...run, cwd };
}

/** The exit code of a run: 2 when an input could not be read or nothing was checked, else 1 on failing findings, else 0. */
export function exitCodeOf(run: CheckRun): number {
  if (run.errors.length > 0) return EXIT_ERROR;
  return run.failed ? EXIT_FINDINGS : EXIT_PASSED;
}

/** Runs the command line `args` (without `node` and the script) and returns the exit code. */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    return write(io, USAGE, EXIT_PASSED);
  }
  if (command === '--version') {
    return write(io, `${toolVersion()}\n`, EXIT_PASSED);
  }
  if (command === 'fix') return runFix(rest, io);
  try {
    if (command !== 'check') {
      throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      return write(io, USAGE, EXIT_PASSED);
    }
    const options = parseCheckArgs(rest);
    const run = await runCheck(options, io.readStdin, io.cwd);
    const render = options.format === 'json' ? renderJson : options.format === 'sarif' ? renderSarif : renderText;
    const written = write(io, render(run), EXIT_PASSED);
    if (written !== EXIT_PASSED) return written;
    // The report lists the errors; standard error repeats them (at most a few), so they are seen when stdout is piped.
    const shown = run.errors.slice(0, 5).map((e) => `${TOOL_NAME}: ${e.file === undefined ? e.message : runErrorText(e).replace(': error: ', ': ')}`);
    if (run.errors.length > shown.length) shown.push(`${TOOL_NAME}: ... and ${run.errors.length - shown.length} more input errors (listed in the report)`);
    if (shown.length > 0) io.err(shown.map((line) => `${escapeControl(line)}\n`).join(''));
    return exitCodeOf(run);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${TOOL_NAME}: ${escapeControl(e.message)}\n\n${USAGE}`);
      return EXIT_ERROR;
    }
    if (e instanceof InputError) {
      io.err(`${TOOL_NAME}: ${escapeControl(e.message)}\n`);
      return EXIT_ERROR;
    }
    throw e;
  }
}

/** Writes `text` to standard output and returns `code`, or reports a failed write and returns 2. */
function write(io: CliIo, text: string, code: number): number {
  try {
    io.out(text);
    return code;
  } catch (e) {
    io.err(`${TOOL_NAME}: ${outputErrorText(e)}\n`);
    return EXIT_ERROR;
  }
}

/** The short message of a failed write to standard output. */
export function outputErrorText(e: unknown): string {
  const code = (e as any)?.code;
  const why = code === 'ENOSPC' ? 'no space left on device' : code === 'EPIPE' ? 'it was closed' : typeof code === 'string' ? code : String((e as any)?.message ?? e);
  return `cannot write the report to standard output (${why})`;
}

/** The process's own streams. */
export function processIo(): CliIo {
  // A full disk (`> /dev/full`) or a closed pipe (`... | head`) fails the write after it returns: report it
  // shortly and exit 2, whatever the findings were (the report is incomplete).
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    try {
      process.stderr.write(`${TOOL_NAME}: ${outputErrorText(e)}\n`);
    } finally {
      process.exit(EXIT_ERROR);
    }
  });
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    readStdin: async (maxBytes = DEFAULT_MAX_INPUT_BYTES) => {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of process.stdin) {
        const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        chunks.push(b);
        total += b.length;
        if (total > maxBytes) {
          // Enough to know it is too large: stop reading (standard input may never end).
          process.stdin.destroy();
          break;
        }
      }
      return Buffer.concat(chunks);
    },
  };
}
