/**
 * Turning a checker report on parsed input into the CLI's output formats: text, JSON and SARIF 2.1.0.
 *
 * Not exported from the package barrel (a tool-facing module, not a jsii API).
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { formatPosition, InputError, ParsedInput, STDIN_NAME } from './input';
import { describeObject } from './private/manifests';
import { failsAt } from './private/severity';
import { FindingLevel, LoopbackFinding, LoopbackReport, LoopbackRuleInfo } from './types';

/** The tool's name, as in `package.json` `bin`. */
export const TOOL_NAME = 'cdk8s-tke-loopback';

/** Where the SARIF 2.1.0 schema lives, written into the log's `$schema`. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A finding with the file and line of the object it is about. */
export interface LocatedFinding {
  /** The finding as the checker reported it. */
  readonly finding: LoopbackFinding;
  /** The file the object came from; undefined for a finding about the whole set. */
  readonly file?: string;
  /** The 1-based line the object starts on. */
  readonly line?: number;
  /** For a suppressed finding: the reason given in the annotation. */
  readonly reason?: string;
}

/** Something that kept the run from checking everything: an input that could not be read, or nothing to check. */
export interface RunError {
  /** The file or directory it is about; undefined for the run as a whole. */
  readonly file?: string;
  /** The 1-based line. */
  readonly line?: number;
  /** The 1-based column. */
  readonly column?: number;
  /** What went wrong. */
  readonly message: string;
}

/** An input error as a run error. */
export function runErrorOf(e: InputError): RunError {
  return { file: e.file, line: e.line, column: e.column, message: e.detail };
}

/** One run of the checker over parsed input, ready to render. */
export interface CheckRun {
  /** What was read. */
  readonly input: ParsedInput;
  /**
   * What could not be read or parsed, and "nothing was checked" unless allowed; any of them makes the exit
   * code 2 (after everything else is reported).
   */
  readonly errors: RunError[];
  /** What the checker left out and why (the layer-4 rules in iptables mode). */
  readonly notes: string[];
  /** The directory relative file names are relative to (for SARIF URIs); the process's working directory when undefined. */
  readonly cwd?: string;
  /** The lowest level that fails the run. */
  readonly failOn: FindingLevel;
  /** The findings that were not suppressed, located. */
  readonly findings: LocatedFinding[];
  /** The suppressed findings, located, with their reasons. */
  readonly suppressed: LocatedFinding[];
  /** The rules that ran. */
  readonly rules: LoopbackRuleInfo[];
  /** True when a finding is at or above `failOn`. */
  readonly failed: boolean;
}

export { failsAt } from './private/severity';

/**
 * Puts a report's findings next to the files and lines of the objects they are about; a finding about a
 * line of a multi-line field (a Corefile) points at that line of the file (a block literal, or a JSON or quoted
 * YAML string).
 * `errors` are the run's input errors (by default those of `input`).
 */
export function locate(input: ParsedInput, report: LoopbackReport, rules: LoopbackRuleInfo[], failOn: FindingLevel, errors?: RunError[]): CheckRun {
  const at = (f: LoopbackFinding, reason?: string): LocatedFinding => {
    const obj = f.manifestIndex === undefined ? undefined : input.objects[f.manifestIndex];
    const fieldStart = f.field !== undefined && f.fieldLine !== undefined ? obj?.valueLines?.[f.field] : undefined;
    const flowLines = f.field !== undefined && f.fieldLine !== undefined ? obj?.valueLineMaps?.[f.field] : undefined;
    const line = fieldStart !== undefined ? fieldStart + f.fieldLine! - 1
      : flowLines !== undefined && flowLines.length > 0 ? flowLines[Math.min(Math.max(f.fieldLine! - 1, 0), flowLines.length - 1)]
        : obj?.line;
    return { finding: f, file: obj?.file, line, reason };
  };
  const findings = report.findings.map((f) => at(f));
  const suppressed = report.suppressed.map((s) => at(s.finding, s.reason));
  return {
    input,
    errors: errors ?? (input.errors ?? []).map(runErrorOf),
    notes: report.notes ?? [],
    failOn,
    findings,
    suppressed,
    rules,
    failed: findings.some((f) => failsAt(f.finding.level, failOn)),
  };
}

/** `Service default/web`: the kind, then namespace/name as far as they are known. */
export function describeFinding(f: LoopbackFinding): string {
  return describeObject(f.kind, f.namespace, f.name);
}

/**
 * `Kind ns/name: message`, without repeating the object when the message already starts with it.
 */
export function objectAndMessage(f: LoopbackFinding): string {
  const object = describeFinding(f);
  return f.message.startsWith(object) ? f.message : `${object}: ${f.message}`;
}

function where(l: LocatedFinding): string {
  return l.file === undefined ? '(manifest set)' : formatPosition(l.file, l.line);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Counts of a run, for summaries. */
export function counts(run: CheckRun): { errors: number; warnings: number; suppressed: number; skipped: number } {
  return {
    errors: run.findings.filter((f) => f.finding.level !== FindingLevel.WARNING).length,
    warnings: run.findings.filter((f) => f.finding.level === FindingLevel.WARNING).length,
    suppressed: run.suppressed.length,
    skipped: run.input.skipped.length,
  };
}

/** The one-line summary that ends the text output. */
export function summaryLine(run: CheckRun): string {
  const c = counts(run);
  const inputErrors = run.errors.filter((e) => e.file !== undefined).length;
  const verdict = run.errors.length > inputErrors && run.input.objects.length === 0
    ? 'NOTHING CHECKED (exit code 2)'
    : run.errors.length > 0
      ? `INCOMPLETE (${plural(inputErrors, 'input error')}), ${run.failed ? 'FAILED' : 'passed'} (--fail-on ${run.failOn})`
      : run.failed ? `FAILED (--fail-on ${run.failOn})` : `passed (--fail-on ${run.failOn})`;
  return `${TOOL_NAME}: ${plural(run.input.objects.length, 'object')} checked in ${plural(run.input.files.length, 'file')}, `
    + `${plural(c.skipped, 'document')} skipped: ${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, `
    + `${c.suppressed} suppressed: ${verdict}`;
}

/** The text of a run error: `file:line:col: cannot ...`, or the message alone for the run as a whole. */
export function runErrorText(e: RunError): string {
  return e.file === undefined ? `error: ${e.message}` : `${formatPosition(e.file, e.line, e.column)}: error: ${e.message}`;
}

/**
 * `text` with control characters (ANSI escapes among them) written as `\xNN` or `\uNNNN`, so that a name or
 * message read from a manifest cannot move the cursor, recolour or clear the terminal.
 */
export function escapeControl(text: string): string {
  // C0 and C1 controls, line and paragraph separators, and the bidirectional controls that reorder what a
  // terminal shows (Trojan Source, CVE-2021-42574).
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Text: one line per finding (`file:line: level RULE-ID Kind ns/name: message Fix: fix`), one per
 * suppressed finding (with the reason its `cdk8s-tke-loopback/suppress` annotation gives), one per input
 * error and skipped document, the notes, then the summary line. Control characters are escaped.
 */
export function renderText(run: CheckRun): string {
  const lines: string[] = [];
  for (const l of run.findings) {
    const f = l.finding;
    lines.push(`${where(l)}: ${f.level} ${f.ruleId} ${objectAndMessage(f)} Fix: ${f.fix}`);
  }
  for (const l of run.suppressed) {
    lines.push(`${where(l)}: suppressed ${l.finding.ruleId} ${describeFinding(l.finding)}: ${l.reason}`);
  }
  for (const e of run.errors) lines.push(runErrorText(e));
  for (const s of run.input.skipped) {
    lines.push(`${formatPosition(s.file, s.line)}: skipped: ${s.reason}`);
  }
  for (const n of run.notes) lines.push(`note: ${n}`);
  lines.push(summaryLine(run));
  return lines.map(escapeControl).join('\n') + '\n';
}

function findingJson(l: LocatedFinding): Record<string, unknown> {
  const f = l.finding;
  return {
    ruleId: f.ruleId,
    level: f.level,
    kind: f.kind,
    namespace: f.namespace,
    name: f.name,
    message: f.message,
    fix: f.fix,
    file: l.file,
    line: l.line,
    ...(l.reason === undefined ? {} : { reason: l.reason }),
  };
}

/**
 * JSON: `{ tool, version, passed, complete, failOn, files, objects, summary, findings[], suppressed[], errors[],
 * skipped[], notes[] }`. `passed` is true exactly when the exit code is 0: no finding at or above the fail
 * level and no entry in `errors[]`; `complete` is false when `errors[]` has entries (exit code 2).
 */
export function renderJson(run: CheckRun): string {
  const out = {
    tool: TOOL_NAME,
    version: toolVersion(),
    passed: !run.failed && run.errors.length === 0,
    complete: run.errors.length === 0,
    failOn: run.failOn,
    files: run.input.files,
    objects: run.input.objects.length,
    summary: { ...counts(run), inputErrors: run.errors.length },
    findings: run.findings.map(findingJson),
    suppressed: run.suppressed.map(findingJson),
    errors: run.errors.map((e) => ({ file: e.file, line: e.line, column: e.column, message: e.message })),
    skipped: run.input.skipped.map((s) => ({ file: s.file, line: s.line, reason: s.reason })),
    notes: run.notes,
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/** The package version, read from package.json next to lib/ (0.0.0 when it cannot be read). */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8'));
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * A SARIF `artifactLocation` for a file: a relative URI (forward slashes, percent-encoded) for a file
 * under `cwd`, a `file:` URL otherwise, and `stdin` for standard input.
 */
export function artifactLocation(file: string, cwd: string = process.cwd()): Record<string, unknown> {
  if (file === STDIN_NAME) return { uri: 'stdin', description: { text: 'standard input' } };
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/') };
  }
  return { uri: pathToFileURL(abs).href };
}

function sarifResult(l: LocatedFinding, ruleIndex: Map<string, number>, cwd: string): Record<string, unknown> {
  const f = l.finding;
  const result: Record<string, unknown> = {
    ruleId: f.ruleId,
    level: f.level === FindingLevel.WARNING ? 'warning' : 'error',
    message: { text: `${objectAndMessage(f)} Fix: ${f.fix}` },
  };
  const index = ruleIndex.get(f.ruleId);
  if (index !== undefined) result.ruleIndex = index;
  if (l.file !== undefined) {
    result.locations = [{
      physicalLocation: {
        artifactLocation: artifactLocation(l.file, cwd),
        region: { startLine: l.line ?? 1 },
      },
      logicalLocations: [{
        name: f.name ?? '',
        fullyQualifiedName: describeFinding(f),
        kind: 'resource',
      }],
    }];
  }
  if (l.reason !== undefined) {
    result.suppressions = [{ kind: 'inSource', justification: l.reason }];
  }
  return result;
}

/**
 * A SARIF 2.1.0 log with one run: `tool.driver.rules[]` from the rule registry, one result per finding
 * (suppressed ones carry `suppressions[]`), and input errors (level `error`, with `executionSuccessful:
 * false`), skipped documents and notes as tool execution notifications.
 */
export function renderSarif(run: CheckRun): string {
  const cwd = run.cwd ?? process.cwd();
  const ruleIndex = new Map<string, number>();
  run.rules.forEach((r, i) => ruleIndex.set(r.id, i));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: TOOL_NAME,
          version: toolVersion(),
          informationUri: 'https://www.npmjs.com/package/cdk8s-tke-loopback',
          rules: run.rules.map((r) => ({
            id: r.id,
            shortDescription: { text: r.cause },
            fullDescription: { text: r.explanation },
            help: { text: r.fix },
            defaultConfiguration: { level: r.level === FindingLevel.WARNING ? 'warning' : 'error' },
          })),
        },
      },
      invocations: [{
        executionSuccessful: run.errors.length === 0,
        toolExecutionNotifications: [
          ...run.errors.map((e) => ({
            level: 'error',
            message: { text: e.message },
            ...(e.file === undefined ? {} : {
              locations: [{
                physicalLocation: {
                  artifactLocation: artifactLocation(e.file, cwd),
                  ...(e.line === undefined ? {} : { region: { startLine: e.line, ...(e.column === undefined ? {} : { startColumn: e.column }) } }),
                },
              }],
            }),
          })),
          ...run.input.skipped.map((s) => ({
            level: 'note',
            message: { text: `skipped: ${s.reason}` },
            locations: [{
              physicalLocation: { artifactLocation: artifactLocation(s.file, cwd), region: { startLine: s.line } },
            }],
          })),
          ...run.notes.map((n) => ({ level: 'note', message: { text: n } })),
        ],
      }],
      results: [
        ...run.findings.map((l) => sarifResult(l, ruleIndex, cwd)),
        ...run.suppressed.map((l) => sarifResult(l, ruleIndex, cwd)),
      ],
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
