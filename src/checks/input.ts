/**
 * Reading manifests for the checker's CLI and cdk8s-cli plugin: multi-document YAML, JSON and
 * `kind: List` (what `kubectl get ... -o yaml` prints), each object remembered with the file and line it
 * came from so that a finding can point at it.
 *
 * The reader keeps going: a file or document that cannot be read or parsed becomes an `InputError` in
 * `ParsedInput.errors` (with `readInputs(..., { continueOnError: true })` of `input-files.ts`), and everything else is still
 * read. Text is decoded from UTF-8 (with or without a byte order mark) or UTF-16 (LE or BE, with a byte
 * order mark, or recognised by the zero bytes of ASCII text). Each source is read up to a size limit
 * (`DEFAULT_MAX_INPUT_BYTES`), so that `/dev/zero` or a runaway pipe fails instead of reading forever,
 * and parsed one document at a time, so that the parser's syntax tree of one document is dropped before
 * the next is read.
 *
 * Not exported from the package barrel: it uses the `yaml` package's types, which are not jsii types.
 */
import { Composer, isAlias, isMap as isYamlMap, isPair, isScalar, isSeq as isYamlSeq, LineCounter, parseAllDocuments, Parser } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { splitList } from './list-split';
import { slimForChecking } from './private/slim';

/** The name a source read from standard input is shown under. */
export const STDIN_NAME = '<stdin>';

/** File name endings a directory is searched for. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/**
 * Files that a directory search passes over although their names end in `.json`: the
 * `construct-metadata.json` that `cdk8s synth` writes next to the manifests.
 */
export const IGNORED_FILE_NAMES: readonly string[] = ['construct-metadata.json'];

/** The most bytes read from one source (a file or standard input) unless `ReadOptions.maxBytes` says otherwise: 64 MiB. */
export const DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** How many alias expansions one document may cause before it is refused (a "billion laughs" guard). */
const MAX_ALIAS_COUNT = 1000;

/**
 * How many nodes aliases may add to one document when expanded (each alias counts as the size of the
 * node it refers to). Kubernetes tools never write aliases; hand-written anchors for shared blocks stay
 * far below this, a list of hundreds of aliases to one large object does not.
 */
export const MAX_ALIAS_EXPANDED_NODES = 100_000;

/** One Kubernetes object read from the input, with where it came from. */
export interface InputObject {
  /** The object as parsed. */
  readonly object: any;
  /** The file it was read from (as given, or found under a directory), or `<stdin>`. */
  readonly file: string;
  /** The 1-based line its mapping starts on. */
  readonly line: number;
  /**
   * The 1-based file line of the first line of multi-line literal string values (`key: |`), keyed by their
   * dotted path (`data.Corefile`), so that a finding about a line inside such a value can point at it.
   */
  readonly valueLines?: Record<string, number>;
  /**
   * For multi-line string values written as flow scalars (a JSON string, or a quoted YAML string as
   * `kubectl get -o yaml` writes one with trailing spaces): the 1-based file line of each of their lines,
   * keyed by dotted path as `valueLines` is.
   */
  readonly valueLineMaps?: Record<string, number[]>;
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
  /** The inputs, files or documents that could not be read or parsed, in input order (only with `continueOnError`). */
  readonly errors: InputError[];
}

/** How `readInputs` and `parseSource` read. */
export interface ReadOptions {
  /**
   * Record an input that cannot be read or parsed in `ParsedInput.errors` and go on with the rest,
   * instead of throwing the first one.
   * @default false
   */
  readonly continueOnError?: boolean;
  /**
   * The most bytes read from one source; a larger one is an error.
   * @default DEFAULT_MAX_INPUT_BYTES
   */
  readonly maxBytes?: number;
  /**
   * Keep only what the checker's rules read of each object (drops `status`, `managedFields`, the
   * last-applied annotation, Secret data, the data of ConfigMaps no rule reads, and the bodies of kinds no
   * rule reads), to bound memory on large inputs. Do not use when the objects are written back.
   * @default false
   */
  readonly slim?: boolean;
  /**
   * The directory relative paths are read from; paths are still shown as given (`tree/a.yaml`).
   * @default - the process's working directory
   */
  readonly baseDir?: string;
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
  return { objects: [], skipped: [], files: [], errors: [] };
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

/** The message of a document that holds an unrendered Helm or Go template. */
export const TEMPLATE_MESSAGE =
  'looks like an unrendered Helm/Go template; render it first (`helm template ... | cdk8s-tke-loopback check -`)';

/**
 * Decodes the bytes of a manifest: UTF-8 with or without a byte order mark, UTF-16 LE or BE with a byte
 * order mark, or UTF-16 without one when the first character is ASCII (its other byte is zero).
 */
export function decodeManifest(bytes: Buffer | string): string {
  if (typeof bytes === 'string') return bytes.charCodeAt(0) === 0xfeff ? bytes.slice(1) : bytes;
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf-8');
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return utf16be(b.subarray(2));
  if (b.length >= 2 && b.length % 2 === 0 && b[0] !== 0 && b[1] === 0) return b.toString('utf16le');
  if (b.length >= 2 && b.length % 2 === 0 && b[0] === 0 && b[1] !== 0) return utf16be(b);
  return b.toString('utf-8');
}

function utf16be(b: Buffer): string {
  const swapped = Buffer.from(b.subarray(0, b.length - (b.length % 2)));
  swapped.swap16();
  return swapped.toString('utf16le');
}

/**
 * Parses one source (a file's or stdin's text or bytes) and appends its objects, skipped documents and,
 * with `continueOnError`, its errors to `into`. Documents are parsed one at a time.
 *
 * @throws InputError without `continueOnError`, on the first YAML or JSON syntax error, naming the file, line and column
 */
export function parseSource(file: string, text: string | Buffer, into: ParsedInput, options: ReadOptions = {}): void {
  into.files.push(file);
  const source = decodeManifest(text);
  // A List (`kubectl get -o yaml` or `-o json`) is one document: its items are parsed one at a time, so
  // that memory does not grow with the whole List's syntax tree. When an item does not parse on its own,
  // the document is parsed whole, so errors and results are those of the whole parse.
  const list = splitList(source);
  if (list !== undefined && parseAllDocuments(list.header).every((d) => d.errors.length === 0)) {
    const items = emptyInput();
    for (const [i, item] of list.items.entries()) {
      const before = items.objects.length + items.skipped.length;
      parseDocuments(file, item.text, items, { ...options, continueOnError: true }, item.line - 1, `${list.kind} item ${i}`);
      if (items.errors.length > 0) break;
      if (items.objects.length + items.skipped.length === before) items.skipped.push({ file, line: item.line, reason: `${list.kind} item ${i}: empty document` });
    }
    if (items.errors.length === 0) {
      for (const o of items.objects) into.objects.push(o);
      for (const d of items.skipped) into.skipped.push(d);
      return;
    }
  }
  parseDocuments(file, source, into, options, 0);
}

/**
 * Parses the documents of `source` into `into`. `lineOffset` is added to every line (for a List item parsed
 * on its own); `listItem` (`List item 3`) marks the text as one item of a List: its value is an object or skipped
 * with that prefix, and a list in it is not expanded.
 */
function parseDocuments(file: string, source: string, into: ParsedInput, options: ReadOptions, lineOffset: number, listItem?: string): void {
  const fail = (e: InputError): void => {
    if (!options.continueOnError) throw e;
    into.errors.push(e);
  };
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ merge: true, prettyErrors: false, logLevel: 'error' });
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line) + lineOffset;

  for (const doc of composer.compose(parser.parse(source), false, source.length)) {
    const node = doc.contents as YamlNode | null;
    const docLine = lineAt(node?.range?.[0] ?? doc.range[0]);
    const docText = source.slice(doc.range[0], doc.range[2]);
    const templateAt = docText.indexOf('{{');
    const error = doc.errors[0];
    if (error || (templateAt >= 0 && hasCollectionKey(node))) {
      // `{{ x }}` parses as a flow mapping used as a key (or not at all): an unrendered template.
      if (templateAt >= 0) {
        const pos = lineCounter.linePos(doc.range[0] + templateAt);
        fail(new InputError(file, pos.line + lineOffset, pos.col, TEMPLATE_MESSAGE));
      } else {
        const pos = lineCounter.linePos(error!.pos[0]);
        fail(new InputError(file, pos.line + lineOffset, pos.col, firstLine(error!.message)));
      }
      continue;
    }
    let value: unknown;
    try {
      checkAliasExpansion(doc);
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      fail(new InputError(file, docLine, undefined, firstLine(e instanceof Error ? e.message : String(e))));
      continue;
    }

    if (!isKubernetesObject(value)) {
      into.skipped.push({ file, line: docLine, reason: listItem === undefined ? skipReason(value) : `${listItem}: ${skipReason(value)}` });
      continue;
    }
    if (listItem !== undefined || !isListObject(value)) {
      into.objects.push(located(value, file, docLine, node, lineAt, options, source));
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
        into.objects.push(located(item, file, line, isAlias(itemNode) ? undefined : itemNode, lineAt, options, source));
      } else {
        into.skipped.push({ file, line, reason: `${(value as any).kind} item ${i}: ${skipReason(item)}` });
      }
    });
  }
}

function located(
  value: any,
  file: string,
  line: number,
  node: YamlNode | null | undefined,
  lineAt: (offset: number | undefined) => number,
  options: ReadOptions,
  source: string,
): InputObject {
  const valueLines = literalLines(node, lineAt);
  const valueLineMaps = flowLineMaps(node, lineAt, source);
  return {
    object: options.slim ? slimForChecking(value) : value,
    file,
    line,
    ...(valueLines ? { valueLines } : {}),
    ...(valueLineMaps ? { valueLineMaps } : {}),
  };
}

/**
 * The file line of each line of `data.Corefile` when it is a multi-line flow string (a JSON or quoted YAML
 * string), by dotted path. A line of the value starts after a `\n` escape (double
 * quotes) or at an empty file line (folding); its file line is where its first character is written.
 */
function flowLineMaps(
  node: YamlNode | null | undefined,
  lineAt: (offset: number | undefined) => number,
  source: string,
): Record<string, number[]> | undefined {
  if (!isYamlMap(node)) return undefined;
  let out: Record<string, number[]> | undefined;
  for (const outer of node.items) {
    if (!isScalar(outer.key) || !isYamlMap(outer.value)) continue;
    for (const inner of outer.value.items) {
      const v = inner.value;
      // Only the Corefile is read line by line by a rule; a map per line of every string would cost memory.
      if (String(outer.key.value) !== 'data' || String(inner.key?.toString()) !== 'Corefile') continue;
      if (!isScalar(inner.key) || !isScalar(v) || typeof v.value !== 'string' || !v.value.includes('\n') || !v.range) continue;
      if (v.type !== 'QUOTE_DOUBLE' && v.type !== 'QUOTE_SINGLE' && v.type !== 'PLAIN') continue;
      const [start, end] = v.range;
      const lines = [lineAt(start)];
      // The offset where the value's next line starts: skip the file's line breaks and indentation.
      const nextLineAt = (i: number) => {
        while (i < end && /[ \t\r\n]/.test(source[i])) i++;
        lines.push(lineAt(Math.min(i, end - 1)));
      };
      for (let i = start; i < end; i++) {
        const c = source[i];
        if (c === '\\' && v.type === 'QUOTE_DOUBLE') {
          if (source[i + 1] === 'n') nextLineAt(i + 2);
          i++;
        } else if (c === '\n') {
          // Folding: each empty file line after this break is one line break of the value.
          let j = i + 1;
          for (;;) {
            while (j < end && (source[j] === ' ' || source[j] === '\t' || source[j] === '\r')) j++;
            if (source[j] !== '\n') break;
            j++;
            nextLineAt(j);
          }
          i = j - 1;
        }
      }
      (out ??= {})[`${String(outer.key.value)}.${String(inner.key.value)}`] = lines;
    }
  }
  return out;
}

/** The first content line of the block literal strings two levels down (`data.Corefile`), by dotted path. */
function literalLines(node: YamlNode | null | undefined, lineAt: (offset: number | undefined) => number): Record<string, number> | undefined {
  if (!isYamlMap(node)) return undefined;
  let out: Record<string, number> | undefined;
  for (const outer of node.items) {
    if (!isScalar(outer.key) || !isYamlMap(outer.value)) continue;
    for (const inner of outer.value.items) {
      const v = inner.value;
      if (!isScalar(inner.key) || !isScalar(v) || v.type !== 'BLOCK_LITERAL' || !v.range) continue;
      // The value's range starts at the `|` indicator; its content starts on the next line.
      (out ??= {})[`${String(outer.key.value)}.${String(inner.key.value)}`] = lineAt(v.range[0]) + 1;
    }
  }
  return out;
}

/** Whether a mapping anywhere in the tree has a key that is itself a mapping or a sequence. */
export function hasCollectionKey(node: unknown): boolean {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isYamlMap(n) || isYamlSeq(n)) {
      for (const item of (n as any).items) stack.push(item);
    } else if (isPair(n)) {
      if (isYamlMap(n.key) || isYamlSeq(n.key)) return true;
      stack.push(n.value);
    }
  }
  return false;
}

/**
 * Refuses a document whose aliases would expand into more than `MAX_ALIAS_EXPANDED_NODES` nodes: each
 * alias counts as the size of what it refers to (itself expanded), so a few aliases of a large object, or
 * many of a small one, are caught before anything is expanded.
 */
export function checkAliasExpansion(doc: Document.Parsed): void {
  const sizes = new Map<unknown, number>();
  let added = 0;
  const size = (n: unknown, depth: number): number => {
    if (depth > 10_000) throw new Error('the document nests too deeply');
    if (isAlias(n)) {
      const target = n.resolve(doc);
      const s = target === undefined ? 1 : (sizes.get(target) ?? size(target, depth + 1));
      added += s;
      if (added > MAX_ALIAS_EXPANDED_NODES) {
        throw new Error(`its aliases expand to more than ${MAX_ALIAS_EXPANDED_NODES} nodes; write the objects out instead of aliasing them`);
      }
      return s;
    }
    let total = 1;
    if (isYamlMap(n) || isYamlSeq(n)) {
      for (const item of (n as any).items) total += size(item, depth + 1);
    } else if (isPair(n)) {
      total = size(n.key, depth + 1) + size(n.value, depth + 1);
    }
    if (n !== null && typeof n === 'object' && (n as any).anchor) sizes.set(n, total);
    return total;
  };
  if (!hasAlias(doc.contents)) return;
  size(doc.contents, 0);
}

function hasAlias(node: unknown): boolean {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isAlias(n)) return true;
    if (isYamlMap(n) || isYamlSeq(n)) for (const item of (n as any).items) stack.push(item);
    else if (isPair(n)) stack.push(n.key, n.value);
  }
  return false;
}

/** The first line of a parser message; the engine's stack overflow (deep nesting) said in words. */
function firstLine(message: string): string {
  if (/Maximum call stack size exceeded|too much recursion/i.test(message)) return 'the document nests too deeply to be read';
  return message.split('\n')[0].trim();
}
