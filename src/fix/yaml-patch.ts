/**
 * Format-preserving edits of one YAML document: an edit becomes a text insertion or replacement at the
 * source offsets of the `yaml` Document's nodes, so every line the edit does not touch keeps its bytes
 * (comments, key order, quoting, anchors, indentation). The result is parsed again and compared with the
 * expected objects; when they differ (an odd construct the text edit does not handle), the edits are made
 * through the Document API instead, and when that differs too, nothing is written.
 *
 * Not exported from the package barrel: it uses the `yaml` package's types, which are not jsii types.
 */
import {
  Alias, Document, isAlias, isCollection, isMap, isScalar, isSeq, Node, Pair, parseAllDocuments, parseDocument, stringify, visit,
  YAMLMap, YAMLSeq,
} from 'yaml';
import { PathKey, setInPlain } from './paths';

/** Set a value at a path (creating missing maps). */
export interface DocSet {
  readonly op: 'set';
  readonly path: PathKey[];
  readonly value: unknown;
}

/** Insert a value into the sequence at a path (created when absent) after position `after` (-1: at the end). */
export interface DocInsert {
  readonly op: 'insert';
  readonly path: PathKey[];
  readonly after: number;
  readonly value: unknown;
}

/** One edit of a document. */
export type DocEdit = DocSet | DocInsert;

/** Options of the YAML the edits write. */
const STRINGIFY = { lineWidth: 0, indent: 2 } as const;

/** Parse options: the same as the checker's reader. */
export const PARSE_OPTIONS = { merge: true, prettyErrors: false } as const;

/** The JS value of a document, with the checker's alias guard. */
export function documentValue(doc: Document): unknown {
  return doc.toJS({ maxAliasCount: 1000 });
}

interface TextEdit {
  readonly at: number;
  readonly remove: number;
  readonly text: string;
  readonly seq: number;
}

/** A key to be created under a map node, with the value built from all edits that need it. */
interface Creation {
  readonly map: YAMLMap;
  /** Set when the key exists with an empty (null) value, which the new value replaces. */
  readonly pair?: Pair;
  readonly key: string;
  value: unknown;
  readonly seq: number;
}

function keyOf(k: unknown): string | undefined {
  return isScalar(k) ? String(k.value) : typeof k === 'string' ? k : undefined;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The offset of the start of the line after the one `offset` is on (a node ending in a newline ends there). */
function afterLine(text: string, end: number): { at: number; lead: string } {
  if (end > 0 && text[end - 1] === '\n') return { at: end, lead: '' };
  const nl = text.indexOf('\n', end);
  return nl < 0 ? { at: text.length, lead: '\n' } : { at: nl + 1, lead: '' };
}

function indentLines(block: string, indent: string): string {
  return block.replace(/\n$/, '').split('\n').map((l) => (l === '' ? l : indent + l)).join('\n');
}

/** A scalar as YAML text (strings double-quoted only when plain would read as something else). */
function scalarText(value: unknown): string {
  return stringify(value, STRINGIFY).replace(/\n$/, '');
}

/**
 * Whether a flow collection is written as JSON (a `.json` manifest, or JSON pasted into YAML): a map whose
 * first key is double-quoted, or a sequence whose first item is such a map or a double-quoted string. What
 * is added to it is then written as JSON too, so that a JSON file stays JSON.
 */
export function isJsonStyle(node: unknown): boolean {
  if (!isCollection(node) || !node.flow) return false;
  const first = node.items[0];
  if (isMap(node)) return isScalar((first as Pair | undefined)?.key) && ((first as Pair).key as any).type === 'QUOTE_DOUBLE';
  return isScalar(first) ? first.type === 'QUOTE_DOUBLE' : isJsonStyle(first);
}

/** A value as one line of flow YAML. */
function flowText(value: unknown): string {
  return stringify(value, { ...STRINGIFY, collectionStyle: 'flow' }).replace(/\n$/, '');
}

/** Applies edits to a plain value (for the expected result). */
export function applyToValue(value: unknown, edits: readonly DocEdit[]): unknown {
  const copy = JSON.parse(JSON.stringify(value ?? {}));
  for (const e of edits) setInPlain(copy, e.path, e.op === 'set' ? e.value : e.value, e.op === 'insert' ? e.after : undefined);
  return copy;
}

/**
 * Computes text edits of `text` (whose offsets the nodes of `doc` use) for `edits`, or undefined when one
 * of them needs a construct the text edits do not handle.
 */
function textEdits(doc: Document, text: string, edits: readonly DocEdit[]): TextEdit[] | undefined {
  const out: TextEdit[] = [];
  const creations: Creation[] = [];
  const flowCount = new Map<Node, number>();
  let seq = 0;
  for (const edit of edits) {
    let node: unknown = doc.contents;
    let done = false;
    for (let i = 0; i < edit.path.length && !done; i++) {
      const k = edit.path[i];
      const last = i === edit.path.length - 1;
      if (isMap(node) && typeof k === 'string') {
        const pair = node.items.find((p) => keyOf(p.key) === k);
        const empty = pair && (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) && (!last || edit.op === 'insert');
        if (!pair || empty) {
          // Create the key (or fill its empty value) with the rest of the path, merging with other edits that need it too.
          const rest = edit.path.slice(i + 1);
          let creation = creations.find((c) => c.map === node && c.key === k);
          if (!creation) {
            creation = { map: node, key: k, value: undefined, seq: seq++, ...(pair ? { pair } : {}) };
            creations.push(creation);
          }
          const holder: Record<string, any> = { v: creation.value };
          setInPlain(holder, ['v', ...rest], edit.value, edit.op === 'insert' ? -1 : undefined);
          creation.value = holder.v;
          done = true;
          break;
        }
        if (last && edit.op === 'set') {
          const v = pair.value;
          if (!isScalar(v) || !v.range || isCollection(edit.value)) return undefined;
          out.push({ at: v.range[0], remove: v.range[1] - v.range[0], text: scalarText(edit.value), seq: seq++ });
          done = true;
          break;
        }
        node = pair.value;
      } else if (isSeq(node) && typeof k === 'number' && !last) {
        node = node.items[k];
      } else if (isSeq(node) && last) {
        return undefined;
      } else {
        return undefined;
      }
      if (last && edit.op === 'insert') {
        if (!isSeq(node)) return undefined;
        const t = seqInsertion(node, text, edit.after, edit.value, flowCount);
        if (!t) return undefined;
        out.push({ ...t, seq: seq++ });
        done = true;
      }
    }
    if (!done) return undefined;
  }
  for (const c of creations) {
    const t = c.pair ? emptyValueFill(c.map, c.pair, text, c.value) : mapInsertion(c.map, text, c.key, c.value, flowCount);
    if (!t) return undefined;
    out.push(...t.map((e) => ({ ...e, seq: c.seq })));
  }
  return out;
}

/** `, ` before an entry added to a flow collection, unless it is the first entry (counting earlier additions). */
function flowSeparator(node: YAMLMap | YAMLSeq, flowCount: Map<Node, number>): string {
  const before = node.items.length + (flowCount.get(node) ?? 0);
  flowCount.set(node, (flowCount.get(node) ?? 0) + 1);
  return before > 0 ? ', ' : '';
}

/** Text that gives a block map's key with an empty value (`key:`, `key: ~`) a block value. */
function emptyValueFill(map: YAMLMap, pair: Pair, text: string, value: unknown): Array<Omit<TextEdit, 'seq'>> | undefined {
  const key = pair.key as Node | null;
  if (map.flow || !key?.range) return undefined;
  const v = pair.value as Node | null;
  const indent = ' '.repeat(columnOf(text, key.range[0]) + 2);
  const valueRange = v?.range;
  const clear = valueRange && valueRange[1] > valueRange[0] ? [{ at: valueRange[0], remove: valueRange[1] - valueRange[0], text: '' }] : [];
  const { at, lead } = afterLine(text, valueRange ? valueRange[1] : key.range[1]);
  return [...clear, { at, remove: 0, text: `${lead}${indentLines(stringify(value, STRINGIFY), indent)}\n` }];
}

/** Text that adds `key: value` to a map. */
function mapInsertion(
  map: YAMLMap, text: string, key: string, value: unknown, flowCount: Map<Node, number>,
): Array<Omit<TextEdit, 'seq'>> | undefined {
  if (!map.range) return undefined;
  if (map.flow) {
    const close = map.range[1] - 1;
    if (text[close] !== '}') return undefined;
    const entry = isJsonStyle(map) ? `${JSON.stringify(key)}: ${JSON.stringify(value)}` : flowText({ [key]: value }).replace(/^\{ ?/, '').replace(/ ?\}$/, '');
    // Right after the last entry (`{ a: 1 }` gets `{ a: 1, b: 2 }`), or before the `}` of an empty map.
    const last = map.items[map.items.length - 1];
    const lastEnd = (last?.value as Node | null)?.range?.[1] ?? (last?.key as Node | null)?.range?.[1];
    const at = lastEnd !== undefined && lastEnd <= close && text.slice(lastEnd, close).trim() === '' ? lastEnd : close;
    return [{ at, remove: 0, text: `${flowSeparator(map, flowCount)}${entry}` }];
  }
  const first = map.items[0]?.key as Node | undefined;
  const lastPair = map.items[map.items.length - 1];
  if (!first?.range || !lastPair) return undefined;
  const end = (lastPair.value as Node | null)?.range?.[1] ?? (lastPair.key as Node).range?.[1];
  if (end === undefined) return undefined;
  const indent = ' '.repeat(columnOf(text, first.range[0]));
  const { at, lead } = afterLine(text, end);
  return [{ at, remove: 0, text: `${lead}${indentLines(stringify({ [key]: value }, STRINGIFY), indent)}\n` }];
}

/** Text that inserts an item into a sequence after position `after` (-1: at the end). */
function seqInsertion(
  seq: YAMLSeq, text: string, after: number, value: unknown, flowCount: Map<Node, number>,
): Omit<TextEdit, 'seq'> | undefined {
  if (!seq.range) return undefined;
  const index = after < 0 ? seq.items.length - 1 : after;
  if (seq.flow) {
    if (after >= 0 && after !== seq.items.length - 1) return undefined;
    const close = seq.range[1] - 1;
    if (text[close] !== ']') return undefined;
    return { at: close, remove: 0, text: `${flowSeparator(seq, flowCount)}${isJsonStyle(seq) ? JSON.stringify(value) : flowText(value)}` };
  }
  const item = seq.items[index] as Node | undefined;
  if (!item?.range || text[seq.range[0]] !== '-') return undefined;
  const indent = ' '.repeat(columnOf(text, seq.range[0]));
  const { at, lead } = afterLine(text, item.range[1]);
  return { at, remove: 0, text: `${lead}${indentLines(stringify([value], STRINGIFY), indent)}\n` };
}

function applyTextEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.at - a.at || b.seq - a.seq);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.at) + e.text + out.slice(e.at + e.remove);
  return out;
}

/** Deep equality of parsed values (map key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => sameValue(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as any)[k], (b as any)[k]));
}

function parsesTo(text: string, expected: readonly unknown[]): boolean {
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  if (!Array.isArray(docs) || docs.length !== expected.length) return false;
  return docs.every((d, i) => d.errors.length === 0 && sameValue(documentValue(d), expected[i]));
}

/** A new document after another: `---` and the object as block YAML. */
function newDocuments(objects: readonly unknown[]): string {
  return objects.map((o) => `---\n${stringify(o, STRINGIFY)}`).join('');
}

/** Thrown when an edited document would not read back as the fixed objects: nothing is written. */
export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchError';
  }
}

/** The aliases that the paths of `edits` pass through (or end at), outermost first. */
function aliasesOnPaths(doc: Document, edits: readonly DocEdit[]): Alias[] {
  const out: Alias[] = [];
  for (const e of edits) {
    let node: unknown = doc.contents;
    for (const k of e.path) {
      if (isAlias(node)) {
        if (!out.includes(node)) out.push(node);
        break;
      }
      if (!isCollection(node)) break;
      node = node.get(k, true);
    }
    if (isAlias(node) && !out.includes(node)) out.push(node);
  }
  return out;
}

/** The slice re-rendered by the Document API with the edits made, aliases on edited paths (or all) expanded. */
function documentApiEdit(original: string, edits: readonly DocEdit[], expandAll: boolean): string {
  const fresh = parseDocument(original, PARSE_OPTIONS);
  if (expandAll) {
    visit(fresh, { Alias: (_key, node) => expandAlias(fresh, node) });
  } else {
    for (const e of edits) {
      let node: unknown = fresh.contents;
      for (let i = 0; i < e.path.length; i++) {
        if (!isCollection(node)) break;
        const child = node.get(e.path[i], true);
        if (isAlias(child)) node.set(e.path[i], expandAlias(fresh, child));
        node = node.get(e.path[i], true);
      }
    }
  }
  for (const e of edits) {
    if (e.op === 'set') {
      fresh.setIn(e.path, e.value);
    } else {
      const seq = fresh.getIn(e.path, true);
      const node = fresh.createNode(e.value);
      if (isSeq(seq)) seq.items.splice(e.after < 0 ? seq.items.length : e.after + 1, 0, node);
      else fresh.setIn(e.path, fresh.createNode([e.value]));
    }
  }
  return fresh.toString(STRINGIFY);
}

/** A copy of the node an alias refers to, without its anchor (and with nested aliases kept as aliases). */
function expandAlias(doc: Document, alias: Alias): Node {
  const target = alias.resolve(doc);
  if (target === undefined) throw new PatchError(`the alias *${alias.source} refers to no anchor`);
  const copy = target.clone() as Node;
  (copy as { anchor?: string }).anchor = undefined;
  return copy;
}

/**
 * Edits one document's source text.
 *
 * @param doc the document, parsed from `source` (its node offsets are offsets into `source`)
 * @param source the whole text the document was parsed from
 * @param start where the document's slice of `source` starts
 * @param end where it ends (the next document's start, or the end of the text)
 * @param edits the edits, paths from the document's root
 * @param addedDocs objects to write as new documents after it
 * @returns the new text of the slice
 */
export function patchDocument(
  doc: Document, source: string, start: number, end: number, edits: readonly DocEdit[], addedDocs: readonly unknown[],
): string {
  const original = source.slice(start, end);
  const expectedValue = edits.length > 0 ? applyToValue(documentValue(doc), edits) : documentValue(doc);
  const expected = [expectedValue, ...addedDocs];
  // New lines follow the document's line ends (CRLF stays CRLF).
  const crlf = original.includes('\r\n');
  const eol = (t: string) => (crlf ? t.replace(/\r?\n/g, '\r\n') : t);
  const withAdded = (t: string) => (addedDocs.length === 0 ? t : `${t}${t === '' || t.endsWith('\n') ? '' : eol('\n')}${eol(newDocuments(addedDocs))}`);

  // An alias on an edited path is written out (as flow YAML, in place of `*name`) before editing, so that the
  // edit changes this object only, not the anchored node and its other aliases.
  const aliases = aliasesOnPaths(doc, edits).filter((a) => a.range && a.range[0] >= start && a.range[1] <= end);
  if (aliases.length > 0) {
    let expanded = original;
    for (const a of [...aliases].sort((x, y) => y.range![0] - x.range![0])) {
      const target = a.resolve(doc);
      if (target === undefined) break;
      expanded = expanded.slice(0, a.range![0] - start) + flowText(target.toJS(doc)) + expanded.slice(a.range![1] - start);
    }
    const again = parseDocument(expanded, PARSE_OPTIONS);
    if (again.errors.length === 0 && aliasesOnPaths(again, edits).length === 0 && sameValue(documentValue(again), documentValue(doc))) {
      return patchDocument(again, expanded, 0, expanded.length, edits, addedDocs);
    }
  }
  const te = textEdits(doc, source, edits);
  if (te && te.every((e) => e.at >= start && e.at <= end)) {
    const patched = withAdded(applyTextEdits(original, te.map((e) => ({ ...e, at: e.at - start, text: eol(e.text) }))));
    if (parsesTo(patched, expected)) return patched;
  }
  // Fallback: the Document API on a fresh parse of the slice. An alias on an edited path is first replaced by
  // a copy of what it refers to (editing through it would edit the anchored node and every other alias of it);
  // when an edited node is itself anchored and aliased elsewhere, every alias of the document is expanded.
  for (const expandAll of [false, true]) {
    let rendered: string;
    try {
      rendered = withAdded(documentApiEdit(original, edits, expandAll));
    } catch {
      continue;
    }
    if (parsesTo(rendered, expected)) return rendered;
  }
  throw new PatchError('an edited document did not read back as the fixed object; nothing was written');
}
