/**
 * `cdk8s-tke-loopback fix`: the command line of fix mode, a thin layer over the planner and the YAML layer.
 *
 *   cdk8s-tke-loopback fix [--in-place | -o DIR] [options] [<files|dirs|->]
 *
 * With no input, or `-`, it reads standard input and writes standard output: a Helm post-renderer, or,
 * when the input is a `config.kubernetes.io/v1` ResourceList, a KRM function (kustomize, kpt).
 * Exit codes: 0 everything found is fixed, 1 risks remain that fix mode cannot fix, 2 bad input or usage.
 * Nothing is written unless every input parsed and every edit read back as intended.
 *
 * Not exported from the package barrel: `bin/cdk8s-tke-loopback` reaches it through the checker's CLI.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { FIXABLE_RULES, resolveOptions } from './options';
import {
  decodeSource, encodeText, FailOn, fails, FixCliOptions, fixResourceList, FixSource, fixSources, InputErrors, isResourceList,
  ObjectLocation, SourcesFixRun,
} from './sources';
import { L4FixMode, LoopbackFixChange } from './types';
import { PARSE_OPTIONS, PatchError } from './yaml-patch';
import { parseCheckArgs } from '../checks/cli';
import type { CheckOptions, CliIo } from '../checks/cli';
import { DEFAULT_MAX_INPUT_BYTES, formatPosition, InputError, STDIN_NAME } from '../checks/input';
import { findManifestFiles, readFileBounded, tooLarge } from '../checks/input-files';
import { escapeControl, TOOL_NAME } from '../checks/output';

/** Exit code: everything that was found is fixed. */
export const FIX_EXIT_FIXED = 0;
/** Exit code: risks remain that fix mode cannot fix (at or above `--fail-on`). */
export const FIX_EXIT_UNFIXED = 1;
/** Exit code: bad usage, or an input that cannot be read or parsed; nothing was written. */
export const FIX_EXIT_ERROR = 2;

export const FIX_USAGE = `Usage: ${TOOL_NAME} fix [--in-place | -o DIR] [options] [<files|dirs|->]

Fixes the TKE CLB loopback risks of Kubernetes manifests that can be fixed safely, keeping comments,
key order, quoting and untouched documents byte for byte, and reports each change and each risk left.

Inputs:    files, directories (*.yaml, *.yml, *.json, recursively) or - (standard input, the default).
Output:    standard output (default); --in-place rewrites the files (atomically); -o DIR writes the fixed
           files under DIR. The report goes to standard error.
           A config.kubernetes.io/v1 ResourceList on standard input is fixed as a KRM function
           (kustomize, kpt): fixed items and results[] on standard output.
Options:   --rules IDS        fix only these rules (${FIXABLE_RULES.join(',')})
           --l4 MODE          prevent-loopback (default) or none
           --pass-to-target   add pass-to-target: "true" on private CLBs that TKE creates
           --private-clb IDS  lb-xxxxxxxx[,...]: reused CLBs that are private-network (fixed as private); repeatable
           --public-clb IDS   lb-xxxxxxxx[,...]: reused CLBs that are public-network; repeatable
           --proxy-mode MODE  ipvs or iptables (default: read from the set, else ipvs); iptables: no layer-4 fix
           --max-input-mb N   the most MiB read from one file or standard input (default ${DEFAULT_MAX_INPUT_BYTES / 1024 / 1024})
           --report FORMAT    text (default) or json
           --fail-on LEVEL    warning (default: any risk left fails), error, or never
           --help
Encoding:  UTF-8 (a byte order mark stays) or UTF-16; files are written back in their own encoding,
           standard output is always UTF-8. Other bytes (Latin-1, say) are refused.
Helm:      helm install NAME CHART --post-renderer ${TOOL_NAME} --post-renderer-args fix
Exit code: 0 everything found is fixed, 1 risks remain (at or above --fail-on), 2 bad input or usage.
`;

/** The parsed command line. */
export interface FixArgs {
  readonly options: FixCliOptions;
  readonly inputs: string[];
  readonly inPlace: boolean;
  readonly outDir?: string;
  readonly report: 'text' | 'json';
  /** The most bytes read from one source. */
  readonly maxBytes: number;
}

/** A usage error of `fix`. */
export class FixUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixUsageError';
  }
}

/** The options of `fix`: whether each takes a value. */
const OPTIONS: Record<string, 'value' | 'flag'> = {
  '--rules': 'value',
  '--l4': 'value',
  '--pass-to-target': 'flag',
  '--in-place': 'flag',
  '-i': 'flag',
  '-o': 'value',
  '--output-dir': 'value',
  '--report': 'value',
  '--fail-on': 'value',
};

/** The options of `fix` that are `check`'s, parsed by `check`'s own parser. */
const CHECK_OPTIONS = ['--private-clb', '--public-clb', '--proxy-mode', '--max-input-mb'];

/** Splits arguments into inputs and options by the table; an option may be given as `--name value` or `--name=value`. */
function splitArgs(args: readonly string[]): { inputs: string[]; given: Map<string, string>; checkArgs: string[] } {
  const inputs: string[] = [];
  const given = new Map<string, string>();
  const checkArgs: string[] = [];
  let rest = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (rest || arg === '-' || !arg.startsWith('-')) {inputs.push(arg);} else if (arg === '--') {rest = true;} else {
      const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      if (CHECK_OPTIONS.includes(name)) {
        if (inline === undefined && i + 1 >= args.length) throw new FixUsageError(`option ${name} needs a value`);
        checkArgs.push(name, inline ?? args[++i]);
        continue;
      }
      const kind = Object.prototype.hasOwnProperty.call(OPTIONS, name) ? OPTIONS[name] : undefined;
      if (kind === undefined) throw new FixUsageError(`unknown option ${name}`);
      if (kind === 'flag' && inline !== undefined) throw new FixUsageError(`option ${name} takes no value, got "${inline}"`);
      if (kind === 'flag') given.set(name, 'true');
      else if (inline !== undefined) given.set(name, inline);
      else if (i + 1 < args.length) given.set(name, args[++i]);
      else throw new FixUsageError(`option ${name} needs a value`);
    }
  }
  return { inputs, given, checkArgs };
}

/** Parses the arguments after `fix`. */
export function parseFixArgs(args: readonly string[]): FixArgs {
  const { inputs, given, checkArgs } = splitArgs(args);
  let checked: CheckOptions;
  try {
    checked = parseCheckArgs([...checkArgs, '-']);
  } catch (e) {
    throw new FixUsageError((e as Error).message);
  }
  const rulesText = given.get('--rules');
  const rules = rulesText?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const l4 = given.get('--l4') as L4FixMode | undefined;
  const passToTarget = given.has('--pass-to-target');
  const inPlace = given.has('--in-place') || given.has('-i');
  const outDir = given.get('-o') ?? given.get('--output-dir');
  const report = given.get('--report') ?? 'text';
  if (report !== 'text' && report !== 'json') throw new FixUsageError(`--report must be text or json, got "${report}"`);
  const failOn = (given.get('--fail-on') ?? FailOn.WARNING) as FailOn;
  if (!(Object.values(FailOn) as string[]).includes(failOn)) {
    throw new FixUsageError(`--fail-on must be one of ${Object.values(FailOn).join(', ')}, got "${failOn}"`);
  }
  const options: FixCliOptions = { ...(rules ? { rules } : {}), ...(l4 ? { l4 } : {}), passToTarget, failOn, ...checked.checkOptions };
  try {
    resolveOptions(options);
  } catch (e) {
    throw new FixUsageError((e as Error).message.replace(/'rules'/, '--rules').replace(/'l4'/, '--l4'));
  }
  if (inputs.length === 0) inputs.push('-');
  if (inputs.filter((x) => x === '-').length > 1) throw new FixUsageError('- (standard input) can be given only once');
  if (inPlace && outDir !== undefined) throw new FixUsageError('--in-place and -o cannot be used together');
  if ((inPlace || outDir !== undefined) && inputs.includes('-')) {
    throw new FixUsageError(`${inPlace ? '--in-place' : '-o'} needs files or directories; standard input is fixed to standard output`);
  }
  return { options, inputs, inPlace, outDir, report, maxBytes: checked.maxBytes ?? DEFAULT_MAX_INPUT_BYTES };
}

/** A file to fix, and where `-o` writes it. */
interface InputFile {
  readonly file: string;
  readonly relative: string;
}

/** The files of the inputs; an input that cannot be listed is added to `errors`. */
function listInputs(inputs: readonly string[], errors: InputError[], base: string | undefined): InputFile[] {
  const out: InputFile[] = [];
  const at = (p: string): string => (base === undefined ? p : path.resolve(base, p));
  for (const arg of inputs) {
    if (arg === '-') continue;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(at(arg));
    } catch (e) {
      errors.push(new InputError(arg, undefined, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
      continue;
    }
    if (stat.isDirectory()) {
      for (const file of findManifestFiles(at(arg), (e) => errors.push(e))) {
        const relative = path.relative(at(arg), file);
        out.push({ file: path.join(arg, relative), relative });
      }
    } else {
      out.push({ file: arg, relative: path.basename(arg) });
    }
  }
  return out;
}

/** Reads and decodes a source (bounded, as the checker reads); an error is added to `errors`. */
function readSource(name: string, read: () => Buffer, errors: InputError[]): FixSource | undefined {
  try {
    return { name, ...decodeSource(name, read()) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    errors.push(e);
    return undefined;
  }
}

/** Writes `text` to `file` atomically: a temporary file in the same directory, then a rename. */
export function writeAtomically(file: string, text: string | Buffer): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode % 0o10000;
  } catch {
    mode = undefined;
  }
  try {
    fs.writeFileSync(tmp, text, { ...(typeof text === 'string' ? { encoding: 'utf-8' as const } : {}), ...(mode !== undefined ? { mode } : {}) });
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
}

/** Whether standard input's text is a KRM ResourceList (one document). */
function isKrmInput(text: string): boolean {
  if (!/\bResourceList\b/.test(text)) return false;
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0].errors.length > 0) return false;
  const contents: any = docs[0].contents;
  const get = (k: string) => contents?.get?.(k);
  return isResourceList({ apiVersion: get('apiVersion'), kind: get('kind') });
}

function where(locations: readonly ObjectLocation[], index: number | undefined): string {
  const at = index === undefined ? undefined : locations[index];
  return at ? ` (${formatPosition(at.file, at.line)})` : '';
}

function objectName(kind: string, namespace?: string, name?: string): string {
  return `${kind || '<no kind>'} ${namespace !== undefined ? `${namespace}/` : ''}${name ?? '<unnamed>'}`;
}

/** The report, as text. */
export function renderFixText(run: SourcesFixRun): string {
  const lines: string[] = [];
  const describeChange = (c: LoopbackFixChange) =>
    `${c.added ? 'added' : 'fixed'} ${objectName(c.kind, c.namespace, c.name)}${where(run.locations, c.manifestIndex)}` +
    `${c.ruleId ? ` [${c.ruleId}]` : ''}: ${c.message}`;
  for (const c of run.changes) lines.push(describeChange(c));
  for (const u of run.unfixed) {
    const f = u.finding;
    lines.push(`not fixed ${f.level} [${f.ruleId}] ${objectName(f.kind, f.namespace, f.name)}${where(run.locations, f.manifestIndex)}: ${f.message}`);
    lines.push(`    why: ${u.reason}`);
  }
  for (const s of run.suppressed) {
    const f = s.finding;
    lines.push(`suppressed [${f.ruleId}] ${objectName(f.kind, f.namespace, f.name)}${where(run.locations, f.manifestIndex)}: ${s.reason}`);
  }
  for (const note of run.notes) lines.push(`note: ${note}`);
  lines.push(`${TOOL_NAME} fix: ${run.changes.length} change(s), ${run.unfixed.length} risk(s) not fixed, ${run.suppressed.length} suppressed`);
  return `${lines.join('\n')}\n`;
}

/** The report, as JSON. */
export function renderFixJson(run: SourcesFixRun): string {
  const at = (i: number | undefined) => {
    const l = i === undefined ? undefined : run.locations[i];
    return l ? { file: l.file, line: l.line } : {};
  };
  return `${JSON.stringify({
    changes: run.changes.map((c) => ({ ...c, ...at(c.manifestIndex) })),
    unfixed: run.unfixed.map((u) => ({ ...u.finding, reason: u.reason, ...at(u.finding.manifestIndex) })),
    suppressed: run.suppressed.map((s) => ({ ...s.finding, reason: s.reason, ...at(s.finding.manifestIndex) })),
    notes: run.notes,
    summary: { changes: run.changes.length, unfixed: run.unfixed.length, suppressed: run.suppressed.length },
  }, null, 2)}\n`;
}

/** Runs `fix` with the arguments after the command name; returns the exit code. */
export async function runFix(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(FIX_USAGE);
    return FIX_EXIT_FIXED;
  }
  try {
    const parsed = parseFixArgs(args);
    const errors: InputError[] = [];
    const base = io.cwd;
    const files = listInputs(parsed.inputs, errors, base);
    const sources: FixSource[] = [];
    for (const f of files) {
      const at = base === undefined ? f.file : path.resolve(base, f.file);
      const source = readSource(f.file, () => readFileBounded(at, parsed.maxBytes, f.file), errors);
      if (source) sources.push(source);
    }
    if (parsed.inputs.includes('-')) {
      const raw = await io.readStdin(parsed.maxBytes);
      const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf-8') : raw;
      const stdin = readSource(STDIN_NAME, () => {
        if (bytes.length > parsed.maxBytes) throw tooLarge(STDIN_NAME, parsed.maxBytes);
        return bytes;
      }, errors);
      if (stdin && errors.length === 0 && parsed.inputs.length === 1 && isKrmInput(stdin.text)) {
        const krm = fixResourceList(STDIN_NAME, stdin.text, parsed.options);
        io.out(krm.outputs[0].text);
        return fails(krm.unfixed, krm.options.failOn) ? FIX_EXIT_UNFIXED : FIX_EXIT_FIXED;
      }
      if (stdin) sources.splice(parsed.inputs.indexOf('-') === 0 ? 0 : sources.length, 0, stdin);
    }
    if (errors.length > 0) {
      // Parse what was read too, so that every bad input is named at once; nothing is written.
      try {
        fixSources(sources, parsed.options);
      } catch (e) {
        if (e instanceof InputError) errors.push(e);
        else if (e instanceof InputErrors) errors.push(...e.errors);
        else throw e;
      }
      throw new InputErrors(errors);
    }
    const run = fixSources(sources, parsed.options);
    // Everything parsed and every edit read back: now write.
    if (parsed.inPlace) {
      for (const o of run.outputs) {
        if (o.changed) writeAtomically(base === undefined ? o.name : path.resolve(base, o.name), encodeText(o.text, o.encoding));
      }
    } else if (parsed.outDir !== undefined) {
      files.forEach((f, i) => {
        const target = path.resolve(base ?? '.', parsed.outDir!, f.relative);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        writeAtomically(target, encodeText(run.outputs[i].text, run.outputs[i].encoding));
      });
    } else {
      let text = '';
      for (const o of run.outputs) {
        if (text !== '' && !text.endsWith('\n')) text += '\n';
        if (text !== '' && o.text.trim() !== '' && !/^(---|%)/.test(o.text.replace(/^\ufeff/, ''))) text += '---\n';
        text += o.text;
      }
      io.out(text);
    }
    io.err(parsed.report === 'json' ? renderFixJson(run) : renderFixText(run));
    return fails(run.unfixed, parsed.options.failOn) ? FIX_EXIT_UNFIXED : FIX_EXIT_FIXED;
  } catch (e) {
    if (e instanceof FixUsageError) {
      io.err(`${TOOL_NAME} fix: ${e.message}\n\n${FIX_USAGE}`);
      return FIX_EXIT_ERROR;
    }
    if (e instanceof InputError || e instanceof InputErrors || e instanceof PatchError) {
      const messages = e instanceof InputErrors ? e.errors.map((x) => x.message) : [e.message];
      io.err(messages.map((m) => `${TOOL_NAME} fix: ${escapeControl(m)}\n`).join(''));
      return FIX_EXIT_ERROR;
    }
    throw e;
  }
}
