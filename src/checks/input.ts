/**
 * Reading manifests for the checker's CLI and cdk8s-cli plugin: multi-document YAML, JSON and
 * `kind: List` (what `kubectl get ... -o yaml` prints), each object remembered with the file and line it
 * came from so that a finding can point at it.
 *
 * Not exported from the package barrel: it uses the `yaml` package's types, which are not jsii types.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMap as isYamlMap, isSeq as isYamlSeq, LineCounter, parseAllDocuments } from 'yaml';

/** The name a source read from standard input is shown under. */
export const STDIN_NAME = '<stdin>';

/** File name endings a directory is searched for. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/** How many alias expansions one document may cause before it is refused (a "billion laughs" guard). */
const MAX_ALIAS_COUNT = 1000;

/** One Kubernetes object read from the input, with where it came from. */
export interface InputObject {
  /** The object as parsed. */
  readonly object: any;
  /** The file it was read from (as given, or found under a directory), or `<stdin>`. */
  readonly file: string;
  /** The 1-based line its mapping starts on. */
  readonly line: number;
}

/** A document that is not a Kubernetes object, and why it was skipped. */
export interface SkippedDocument {
  /** The file it was read from. */
  readonly file: string;
  /** The 1-based line it starts on. */
  readonly line: number;
  /** Why it was skipped. */
  readonly reason: string;
}

/** Everything read from the inputs, in input order. */
export interface ParsedInput {
  /** The Kubernetes objects; the checker is given exactly this array's `object`s, in this order. */
  readonly objects: InputObject[];
  /** The documents that were skipped. */
  readonly skipped: SkippedDocument[];
  /** The files read (including `<stdin>`), in order. */
  readonly files: string[];
}

/** An input that cannot be read or parsed; `file` and `line` say where. */
export class InputError extends Error {
  constructor(
    public readonly file: string,
    public readonly line: number | undefined,
    public readonly column: number | undefined,
    public readonly detail: string,
  ) {
    super(`${formatPosition(file, line, column)}: ${detail}`);
    this.name = 'InputError';
  }
}

/** `file`, `file:line` or `file:line:column`. */
export function formatPosition(file: string, line?: number, column?: number): string {
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

/** An empty result to parse sources into. */
export function emptyInput(): ParsedInput {
  return { objects: [], skipped: [], files: [] };
}

/** Whether `v` looks like a Kubernetes object: a map with a non-empty string `apiVersion` and `kind`. */
export function isKubernetesObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.apiVersion === 'string' && o.apiVersion !== '' && typeof o.kind === 'string' && o.kind !== '';
}

/** Whether `v` is a list object whose `items` are to be checked one by one (`kind: List`, `ServiceList`, ...). */
function isListObject(v: any): boolean {
  return isKubernetesObject(v) && /List$/.test(v.kind) && Array.isArray(v.items);
}

/** Why a document that is not a Kubernetes object is skipped. */
function skipReason(v: unknown): string {
  if (v === null || v === undefined) return 'empty document';
  if (Array.isArray(v)) return 'a sequence, not a Kubernetes object';
  if (typeof v !== 'object') return `a ${typeof v} scalar, not a Kubernetes object`;
  const o = v as Record<string, unknown>;
  const missing = ['apiVersion', 'kind'].filter((k) => typeof o[k] !== 'string' || o[k] === '');
  return `a mapping without ${missing.join(' and ')}, not a Kubernetes object`;
}

/**
 * Parses one source (a file's or stdin's text) and appends its objects and skipped documents to `into`.
 *
 * @throws InputError on the first YAML or JSON syntax error, naming the file, line and column.
 */
export function parseSource(file: string, text: string, into: ParsedInput): void {
  into.files.push(file);
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(source, { lineCounter, merge: true, prettyErrors: false });
  // An empty stream (empty file, or comments only) parses to a list without documents.
  if (!Array.isArray(docs)) return;
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);

  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const pos = lineCounter.linePos(error.pos[0]);
      throw new InputError(file, pos.line, pos.col, firstLine(error.message));
    }
    const node = doc.contents;
    const docLine = lineAt(node?.range?.[0] ?? doc.range[0]);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      throw new InputError(file, docLine, undefined, firstLine(e instanceof Error ? e.message : String(e)));
    }

    if (!isKubernetesObject(value)) {
      into.skipped.push({ file, line: docLine, reason: skipReason(value) });
      continue;
    }
    if (!isListObject(value)) {
      into.objects.push({ object: value, file, line: docLine });
      continue;
    }

    // A list: its items are the objects. Their lines come from the `items` sequence's nodes.
    const itemsNode = isYamlMap(node) ? node.get('items', true) : undefined;
    const itemNodes = isYamlSeq(itemsNode) ? itemsNode.items : [];
    const items: unknown[] = (value as any).items;
    items.forEach((item, i) => {
      const itemNode: any = itemNodes[i];
      const line = lineAt(itemNode?.range?.[0] ?? node?.range?.[0]);
      if (isKubernetesObject(item)) {
        into.objects.push({ object: item, file, line });
      } else {
        into.skipped.push({ file, line, reason: `${(value as any).kind} item ${i}: ${skipReason(item)}` });
      }
    });
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

/**
 * The manifest files under `dir`, recursively, in a stable (sorted) order. Symbolic links to
 * directories are not followed (no cycles); links to files are read.
 */
export function findManifestFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (MANIFEST_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
        if (entry.isFile() || (entry.isSymbolicLink() && isFile(full))) out.push(full);
      }
    }
  };
  walk(dir);
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads files and directories (never writes them) into one `ParsedInput`. `stdinText` is the text read
 * from standard input, used for the argument `-`.
 *
 * @throws InputError when a path does not exist or cannot be read, or a file does not parse.
 */
export function readInputs(args: readonly string[], stdinText?: string): ParsedInput {
  const into = emptyInput();
  for (const arg of args) {
    if (arg === '-') {
      parseSource(STDIN_NAME, stdinText ?? '', into);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch (e) {
      throw new InputError(arg, undefined, undefined, `cannot read: ${errorCode(e)}`);
    }
    const files = stat.isDirectory() ? findManifestFiles(arg) : [arg];
    for (const file of files) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf-8');
      } catch (e) {
        throw new InputError(file, undefined, undefined, `cannot read: ${errorCode(e)}`);
      }
      parseSource(file, text, into);
    }
  }
  return into;
}

function errorCode(e: unknown): string {
  const code = (e as any)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}
