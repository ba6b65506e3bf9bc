/**
 * Fix mode on YAML text: files and standard input (multi-document YAML, JSON, `kind: List`), and a KRM
 * function's `ResourceList`. The objects go through the same planner as `LoopbackFixer`, and the edits are
 * written back into the text by `patchDocument`, so that untouched documents keep every byte.
 *
 * Not exported from the package barrel: it uses the `yaml` package's types, which are not jsii types.
 */
import * as path from 'path';
import { Document, LineCounter, parseAllDocuments } from 'yaml';
import { FixOp } from './ops';
import { resolveOptions } from './options';
import { planFixes, TKE_SERVICE_CONFIG_API_VERSION } from './plan';
import { L4FixMode, LoopbackFixChange, LoopbackFixOptions, LoopbackUnfixedRisk } from './types';
import { DocEdit, DocInsert, documentValue, isJsonStyle, PARSE_OPTIONS, patchDocument, PatchError } from './yaml-patch';
import { parseCheckArgs } from '../checks/cli';
import { checkAliasExpansion, decodeManifest, hasCollectionKey, InputError, isKubernetesObject, TEMPLATE_MESSAGE } from '../checks/input';
import { SuppressedFinding } from '../checks/types';

/** One input text. */
export interface FixSource {
  /** The file name (or `<stdin>`), for messages and for writing back. */
  readonly name: string;
  readonly text: string;
  /** How the file was encoded, to write it back the same way. @default utf-8 */
  readonly encoding?: SourceEncoding;
}

/** How a source's bytes encode its text; a UTF-8 byte order mark stays in the text as U+FEFF. */
export interface SourceEncoding {
  readonly name: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** Whether a UTF-16 byte order mark precedes the text. */
  readonly bom: boolean;
}

/** Encodes text as `encoding`. */
export function encodeText(text: string, encoding: SourceEncoding = { name: 'utf-8', bom: false }): Buffer {
  if (encoding.name === 'utf-8') return Buffer.from(text, 'utf-8');
  const le = Buffer.from((encoding.bom ? '\ufeff' : '') + text, 'utf16le');
  if (encoding.name === 'utf-16be') le.swap16();
  return le;
}

/**
 * Decodes a source's bytes (with the checker's `decodeManifest`: UTF-8 with or without a byte order mark,
 * UTF-16 LE or BE) into text and the encoding that gives back exactly the same bytes, so that fix mode can
 * write untouched documents byte for byte. Bytes that no encoding gives back (invalid UTF-8, say Latin-1)
 * are refused: fixing them would change bytes that were not fixed.
 *
 * @throws InputError naming the file when the bytes are neither UTF-8 nor UTF-16 text
 */
export function decodeSource(name: string, bytes: Buffer): { text: string; encoding: SourceEncoding } {
  // The checker's detection decides (ASCII in UTF-16 without a byte order mark is also valid UTF-8, with NULs).
  const text = decodeManifest(bytes);
  const utf8 = bytes.toString('utf-8');
  if ((utf8 === text || utf8 === `\ufeff${text}`) && Buffer.from(utf8, 'utf-8').equals(bytes)) {
    return { text: utf8, encoding: { name: 'utf-8', bom: false } };
  }
  for (const encoding of UTF16) {
    if (encodeText(text, encoding).equals(bytes)) return { text, encoding };
  }
  throw new InputError(name, undefined, undefined,
    'is not UTF-8 or UTF-16 text (an invalid byte sequence); fix mode writes files back byte for byte, so it refuses to read it: convert it to UTF-8 first');
}

const UTF16: readonly SourceEncoding[] = [
  { name: 'utf-16le', bom: true }, { name: 'utf-16be', bom: true }, { name: 'utf-16le', bom: false }, { name: 'utf-16be', bom: false },
];

/** One output text. */
export interface FixedSource {
  readonly name: string;
  readonly text: string;
  /** How to encode `text` when writing the file back (as it was read). */
  readonly encoding?: SourceEncoding;
  /** Whether any of its documents changed. */
  readonly changed: boolean;
}

/** Where an input object came from. */
export interface ObjectLocation {
  readonly file: string;
  readonly line: number;
  /** The object (for a KRM item, its annotations carry `config.kubernetes.io/path`). */
  readonly object: any;
}

/** What fixing a set of sources did. */
export interface SourcesFixRun {
  readonly outputs: FixedSource[];
  readonly changes: LoopbackFixChange[];
  readonly unfixed: LoopbackUnfixedRisk[];
  readonly suppressed: SuppressedFinding[];
  /** What the check left out and why (iptables proxy mode, say). */
  readonly notes: string[];
  /** The location of each object given to the fixer, by `manifestIndex`. */
  readonly locations: ObjectLocation[];
}

interface ParsedDoc {
  readonly doc: Document;
  readonly start: number;
  end: number;
  readonly value: unknown;
  readonly line: number;
  readonly edits: DocEdit[];
  readonly itemInserts: Array<DocInsert & { readonly order: number }>;
  readonly added: unknown[];
}

interface ParsedSource {
  readonly name: string;
  readonly encoding?: SourceEncoding;
  readonly bom: string;
  readonly text: string;
  readonly docs: ParsedDoc[];
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

/** Parses one source into documents that cover its text end to end. Throws InputError on a syntax error. */
export function parseSourceDocuments(name: string, raw: string, encoding?: SourceEncoding): ParsedSource {
  const bom = raw.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const text = raw.slice(bom.length);
  const lineCounter = new LineCounter();
  const all = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  const docs: ParsedDoc[] = [];
  if (!Array.isArray(all)) return { name, encoding, bom, text, docs };
  all.forEach((doc, i) => {
    const error = doc.errors[0];
    // As the checker reads it: `{{ x }}` parses as a flow mapping used as a key (or not at all).
    const templateAt = text.slice(doc.range[0], doc.range[2]).indexOf('{{');
    if (templateAt >= 0 && (error || hasCollectionKey(doc.contents))) {
      const pos = lineCounter.linePos(doc.range[0] + templateAt);
      throw new InputError(name, pos.line, pos.col, TEMPLATE_MESSAGE.replace('check -', 'fix -'));
    }
    if (error) {
      const pos = lineCounter.linePos(error.pos[0]);
      throw new InputError(name, pos.line, pos.col, firstLine(error.message));
    }
    const line = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
    let value: unknown;
    try {
      checkAliasExpansion(doc);
      value = documentValue(doc);
    } catch (e) {
      throw new InputError(name, line, undefined, firstLine(e instanceof Error ? e.message : String(e)));
    }
    docs.push({ doc, start: i === 0 ? 0 : doc.range[0], end: text.length, value, line, edits: [], itemInserts: [], added: [] });
    if (i > 0) docs[i - 1].end = doc.range[0];
  });
  return { name, encoding, bom, text, docs };
}

/** Routes the planner's operations to the documents they edit. `addItem` shapes objects added into a list. */
function routeOps(
  ops: readonly FixOp[], docOf: (index: number) => ParsedDoc, addItem: (obj: Record<string, unknown>, target: FixOp['target']) => unknown,
): void {
  ops.forEach((op, order) => {
    const d = docOf(op.target.index);
    const prefix = op.target.item === undefined ? [] : ['items', op.target.item];
    if (op.op === 'set') d.edits.push({ op: 'set', path: [...prefix, ...op.path], value: op.value });
    else if (op.op === 'append') d.edits.push({ op: 'insert', path: [...prefix, ...op.path], after: -1, value: op.value });
    else if (op.target.item === undefined) d.added.push(op.object);
    else d.itemInserts.push({ op: 'insert', path: ['items'], after: op.target.item, value: addItem(op.object, op.target), order });
  });
}

/** The edits of a document in the order to apply them: list insertions last, from the back. */
function orderedEdits(d: ParsedDoc): DocEdit[] {
  const inserts = [...d.itemInserts].sort((a, b) => b.after - a.after || b.order - a.order);
  return [...d.edits, ...inserts.map(({ order: _order, ...e }) => e as DocEdit)];
}

/** The new text of a source. */
function render(source: ParsedSource): FixedSource {
  const changed = source.docs.some((d) => d.edits.length > 0 || d.itemInserts.length > 0 || d.added.length > 0);
  const encoding = source.encoding ? { encoding: source.encoding } : {};
  if (!changed) return { name: source.name, text: source.bom + source.text, changed, ...encoding };
  let out = source.bom;
  for (const d of source.docs) {
    const edits = orderedEdits(d);
    try {
      out += edits.length === 0 && d.added.length === 0
        ? source.text.slice(d.start, d.end)
        : patchDocument(d.doc, source.text, d.start, d.end, edits, d.added);
    } catch (e) {
      if (e instanceof PatchError) throw new PatchError(`${source.name}:${d.line}: ${e.message}`);
      throw e;
    }
  }
  return { name: source.name, text: out, changed, ...encoding };
}

/**
 * Fixes a set of sources together (a Service in one file and the kube-proxy DaemonSet in another are
 * matched). Throws InputError on a syntax error, before anything is returned.
 */
export function fixSources(sources: readonly FixSource[], options: LoopbackFixOptions = {}): SourcesFixRun {
  const parsed = parseAll(sources);
  const manifests: unknown[] = [];
  const docsByIndex: ParsedDoc[] = [];
  const locations: ObjectLocation[] = [];
  for (const p of parsed) {
    for (const d of p.docs) {
      if (!isKubernetesObject(d.value)) continue;
      manifests.push(d.value);
      docsByIndex.push(d);
      locations.push({ file: p.name, line: d.line, object: d.value });
    }
  }
  // A JSON document stays JSON: no YAML document is appended after it.
  const plan = planFixes(manifests, options, {
    cannotAddAfter: (i) => (isJsonStyle(docsByIndex[i]?.doc.contents) ? 'the Ingress is a JSON document, and a second object would make its file YAML' : undefined),
  });
  routeOps(plan.ops, (i) => docsByIndex[i], (obj) => obj);
  return { outputs: parsed.map(render), changes: plan.changes, unfixed: plan.unfixed, suppressed: plan.suppressed, notes: plan.notes, locations };
}

/**
 * Parses every source, so that every error is reported, not only the first.
 *
 * @throws InputErrors when any source does not parse
 */
function parseAll(sources: readonly FixSource[]): ParsedSource[] {
  const errors: InputError[] = [];
  const parsed: ParsedSource[] = [];
  for (const s of sources) {
    try {
      parsed.push(parseSourceDocuments(s.name, s.text, s.encoding));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new InputErrors(errors);
  return parsed;
}

/** More than one input that cannot be parsed; the message lists each, one a line. */
export class InputErrors extends Error {
  constructor(public readonly errors: readonly InputError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'InputErrors';
  }
}

/** The `apiVersion` and `kind` of a KRM function's input. */
export const RESOURCE_LIST_API_VERSION = 'config.kubernetes.io/v1';

/** Whether a parsed value is a KRM `ResourceList`. */
export function isResourceList(value: unknown): boolean {
  const v = value as any;
  return typeof v === 'object' && v !== null && v.apiVersion === RESOURCE_LIST_API_VERSION && v.kind === 'ResourceList';
}

/** KRM annotations that say where an item lives, and that an added object gets next to its Ingress. */
const PATH_ANNOTATIONS = ['config.kubernetes.io/path', 'internal.config.kubernetes.io/path'];
const INDEX_ANNOTATIONS = ['config.kubernetes.io/index', 'internal.config.kubernetes.io/index'];

/** The options a `functionConfig` carries: `data` of a ConfigMap, or `spec` of any other kind. */
export function functionConfigOptions(functionConfig: unknown, base: FixCliOptions): FixCliOptions {
  if (functionConfig === undefined || functionConfig === null) return base;
  const fc = functionConfig as any;
  const fields = fc.kind === 'ConfigMap' ? fc.data : fc.spec;
  if (fields === undefined || fields === null) return base;
  if (typeof fields !== 'object' || Array.isArray(fields)) {
    throw new InputError('functionConfig', undefined, undefined, `${fc.kind === 'ConfigMap' ? 'data' : 'spec'} must be a map, got ${JSON.stringify(fields)}`);
  }
  const out: { -readonly [K in keyof FixCliOptions]: FixCliOptions[K] } = { ...base };
  const checkArgs: string[] = [];
  /** The key the user wrote for each checker flag, so that an error names it (`privateClbIds`, not `private-clb`). */
  const keyOfFlag = new Map<string, string>();
  for (const [k, v] of Object.entries(fields)) {
    const text = Array.isArray(v) ? v.join(',') : String(v);
    if (k === 'rules') {
      out.rules = text.split(',').map((x) => x.trim()).filter((x) => x !== '');
    } else if (k === 'l4') {
      out.l4 = text as L4FixMode;
    } else if (k === 'pass-to-target' || k === 'passToTarget') {
      out.passToTarget = booleanOption(k, v);
    } else if (k === 'fail-on' || k === 'failOn') {
      out.failOn = failOnOption(`functionConfig ${k}`, text);
    } else if (Object.prototype.hasOwnProperty.call(CHECK_OPTIONS, k)) {
      // An empty list declares nothing, as `privateClbIds: []` does in the API and the cdk8s-cli plugin.
      if (Array.isArray(v) && v.length === 0) continue;
      keyOfFlag.set(`--${CHECK_OPTIONS[k]}`, k);
      checkArgs.push(`--${CHECK_OPTIONS[k]}`, text);
    } else {
      throw new InputError('functionConfig', undefined, undefined,
        `unknown option ${JSON.stringify(k)}; known: ${FUNCTION_CONFIG_OPTIONS.join(', ')}`);
    }
  }
  if (checkArgs.length === 0) return out;
  try {
    // The checker's own parser of these options (CLB id form, a CLB both private and public, the proxy modes).
    const parsed = parseCheckArgs([...checkArgs, '-']).checkOptions ?? {};
    return { ...out, ...parsed };
  } catch (e) {
    throw new InputError('functionConfig', undefined, undefined,
      (e as Error).message.replace(/--([a-z-]+)/g, (flag: string, name: string) => keyOfFlag.get(flag) ?? name));
  }
}

/** The options a `functionConfig` may carry (each also in camelCase, as in `LoopbackFixOptions`). */
export const FUNCTION_CONFIG_OPTIONS: readonly string[] = ['rules', 'l4', 'pass-to-target', 'fail-on', 'private-clb', 'public-clb', 'proxy-mode'];

/** The `functionConfig` fields that are the checker's options, and their `check` flag. */
const CHECK_OPTIONS: Record<string, string> = {
  'private-clb': 'private-clb',
  'privateClbIds': 'private-clb',
  'public-clb': 'public-clb',
  'publicClbIds': 'public-clb',
  'proxy-mode': 'proxy-mode',
  'proxyMode': 'proxy-mode',
};

function booleanOption(name: string, v: unknown): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new InputError('functionConfig', undefined, undefined, `${name} must be "true" or "false", got ${JSON.stringify(v)}`);
}

/** Which unfixed risks make the run fail. */
export enum FailOn {
  WARNING = 'warning',
  ERROR = 'error',
  NEVER = 'never',
}

/** Parses a `--fail-on` value. */
export function failOnOption(name: string, value: string): FailOn {
  if (!(Object.values(FailOn) as string[]).includes(value)) {
    throw new InputError(name, undefined, undefined, `must be one of ${Object.values(FailOn).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as FailOn;
}

/** The fixer options plus the CLI's own. */
export interface FixCliOptions extends LoopbackFixOptions {
  readonly failOn: FailOn;
}

/** Whether the unfixed risks fail the run. */
export function fails(unfixed: readonly LoopbackUnfixedRisk[], failOn: FailOn): boolean {
  if (failOn === FailOn.NEVER) return false;
  return unfixed.some((u) => failOn === FailOn.WARNING || u.finding.level === 'error');
}

/** A KRM result. */
function result(severity: string, message: string, obj: any, rule?: string): Record<string, unknown> {
  const meta = obj?.metadata ?? {};
  const ref: Record<string, unknown> = { apiVersion: String(obj?.apiVersion ?? ''), kind: String(obj?.kind ?? '') };
  if (meta.name !== undefined) ref.name = String(meta.name);
  if (meta.namespace !== undefined) ref.namespace = String(meta.namespace);
  const annotations = meta.annotations ?? {};
  const file = annotations[PATH_ANNOTATIONS[1]] ?? annotations[PATH_ANNOTATIONS[0]];
  return {
    message,
    severity,
    resourceRef: ref,
    ...(typeof file === 'string' ? { file: { path: file } } : {}),
    ...(rule ? { tags: { rule } } : {}),
  };
}

/** What a KRM run did. */
export interface ResourceListFixRun extends SourcesFixRun {
  readonly options: FixCliOptions;
}

/**
 * Fixes a KRM `ResourceList` (the parsed single document of `text`): fixes its `items`, gives each added
 * TkeServiceConfig a path next to its Ingress, and writes `results`.
 */
export function fixResourceList(name: string, text: string, cliOptions: FixCliOptions): ResourceListFixRun {
  const parsed = parseSourceDocuments(name, text);
  const d = parsed.docs[0];
  const list = d.value as any;
  if (!Array.isArray(list.items)) {
    throw new InputError(name, d.line, undefined, `the ResourceList has no items list (items is ${JSON.stringify(list.items ?? null)})`);
  }
  const options = functionConfigOptions(list.functionConfig, cliOptions);
  try {
    resolveOptions(options);
  } catch (e) {
    throw new InputError('functionConfig', undefined, undefined, (e as Error).message.replace(/'(\w+)'/, '$1'));
  }
  const items: any[] = list.items;
  const plan = planFixes(items, options);
  routeOps(plan.ops.map((op) => ({ ...op, target: { index: 0, item: op.target.index } })), () => d, (obj, target) => {
    const ingressAnnotations = items[target.item!]?.metadata?.annotations ?? {};
    const annotations: Record<string, string> = {};
    const file = `tkeserviceconfig_${String((obj.metadata as any).name)}.yaml`;
    PATH_ANNOTATIONS.forEach((k, i) => {
      const at = ingressAnnotations[k];
      if (typeof at !== 'string') return;
      annotations[k] = path.posix.join(path.posix.dirname(at), file);
      annotations[INDEX_ANNOTATIONS[i]] = '0';
    });
    if (Object.keys(annotations).length === 0) return obj;
    return { ...obj, metadata: { ...(obj.metadata as object), annotations } };
  });
  const results: unknown[] = [];
  // An added object's results point at its Ingress's file.
  const objectOf = (c: LoopbackFixChange) => (c.added
    ? {
      apiVersion: TKE_SERVICE_CONFIG_API_VERSION,
      kind: c.kind,
      metadata: { name: c.name, namespace: c.namespace, annotations: items[c.manifestIndex]?.metadata?.annotations },
    }
    : items[c.manifestIndex]);
  for (const note of plan.notes) results.push({ message: note, severity: 'info' });
  for (const c of plan.changes) results.push(result('info', `${c.added ? 'added' : 'fixed'}: ${c.message}`, objectOf(c), c.ruleId));
  for (const u of plan.unfixed) {
    const obj = u.finding.manifestIndex === undefined ? undefined : items[u.finding.manifestIndex];
    results.push(result(u.finding.level, `${u.finding.message}; not fixed: ${u.reason}`, obj, u.finding.ruleId));
  }
  d.edits.push({ op: 'set', path: ['results'], value: results });
  const locations = items.map((object) => ({ file: name, line: d.line, object }));
  return {
    outputs: [render(parsed)], changes: plan.changes, unfixed: plan.unfixed, suppressed: plan.suppressed, notes: plan.notes, locations, options,
  };
}
