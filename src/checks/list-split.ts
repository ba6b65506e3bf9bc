/**
 * Splits a large `kind: List` (what `kubectl get -o yaml` or `-o json` prints: one document holding every
 * object) into its items, as text, so that each item is parsed on its own: a YAML parser holds the syntax
 * tree of a whole document, which for a 20 MB List is over a gigabyte.
 *
 * Only the layouts kubectl writes are split: a YAML document whose top level is a block mapping with
 * `items:` followed by a block sequence, or a JSON object with an `"items"` array. Anything else (several
 * documents, directives, tabs in indentation, flow-style items) gives `undefined`, and the caller parses
 * the document whole. The caller also parses it whole when an item does not parse on its own (an alias
 * of an anchor in another item, say), so the result never differs from the whole parse.
 */

/** One item of a List, as text. */
export interface ListItemText {
  /** The item's text: a document on its own (the YAML `-` is blanked, so its columns are unchanged). */
  readonly text: string;
  /** The 1-based line of the source the text starts on. */
  readonly line: number;
}

/** The items of a List document, and its kind. */
export interface SplitList {
  /** The kind of the List (`List`, `ServiceList`, ...). */
  readonly kind: string;
  /** The items, in order. */
  readonly items: ListItemText[];
  /**
   * The document without its items (`items:` left empty), for the caller to parse: when it has an error
   * (a duplicate key, a broken `metadata`), the document is parsed whole instead.
   */
  readonly header: string;
}

/** Splits `source` when it is one List document in a layout kubectl writes; undefined otherwise. */
export function splitList(source: string): SplitList | undefined {
  const first = /\S/.exec(source);
  if (!first) return undefined;
  return first[0] === '{' ? splitJsonList(source, first.index) : splitYamlList(source);
}

const unquote = (s: string): string => s.trim().replace(/^(["'])(.*)\1$/, '$2');

function splitYamlList(source: string): SplitList | undefined {
  const items: ListItemText[] = [];
  let kind: string | undefined;
  let apiVersion = false;
  let state: 'top' | 'items' = 'top';
  let seqIndent = -1;
  let seenContent = false;
  let chunkStart = -1;
  let chunkLine = 0;
  let itemsFrom = -1;
  let itemsTo = -1;
  const close = (end: number) => {
    if (chunkStart < 0) return;
    if (itemsFrom < 0) itemsFrom = chunkStart;
    itemsTo = end;
    const text = source.slice(chunkStart, end);
    items.push({ text: `${text.slice(0, seqIndent)} ${text.slice(seqIndent + 1)}`, line: chunkLine });
    chunkStart = -1;
  };
  let line = 0;
  for (let start = 0; start < source.length;) {
    const nl = source.indexOf('\n', start);
    const end = nl < 0 ? source.length : nl + 1;
    line++;
    const raw = source.slice(start, nl < 0 ? source.length : nl).replace(/\r$/, '');
    const body = raw.trimStart();
    const indent = raw.length - body.length;
    if (body === '' || body.startsWith('#')) {
      start = end;
      continue;
    }
    if (raw.slice(0, indent).includes('\t')) return undefined;
    if (indent === 0 && /^(---|\.\.\.)(\s|$)/.test(body)) {
      if (seenContent || body.trim() !== '---') return undefined;
      start = end;
      continue;
    }
    if (indent === 0 && body.startsWith('%')) return undefined;
    seenContent = true;
    if (state === 'items') {
      const entry = /^-(\s|$)/.test(body);
      if (seqIndent < 0) {
        if (!entry) return undefined;
        seqIndent = indent;
      }
      if (indent === seqIndent && entry) {
        close(start);
        chunkStart = start;
        chunkLine = line;
        start = end;
        continue;
      }
      if (indent > seqIndent) {
        start = end;
        continue;
      }
      close(start);
      state = 'top';
    }
    if (indent === 0) {
      const m = /^([A-Za-z]+):(.*)$/.exec(body);
      if (!m) return undefined;
      const [, key, rest] = m;
      const value = rest.replace(/\s#.*$/, '').trim();
      if (key === 'items') {
        if (value !== '' || items.length > 0) return undefined;
        state = 'items';
      } else if (key === 'kind') {
        kind = unquote(value);
      } else if (key === 'apiVersion') {
        apiVersion = unquote(value) !== '';
      }
    }
    start = end;
  }
  close(source.length);
  if (!kind || !/List$/.test(kind) || !apiVersion || items.length === 0) return undefined;
  return { kind, items, header: source.slice(0, itemsFrom) + source.slice(itemsTo) };
}

/**
 * A JSON object with an `"items"` array: the spans of the array's elements, found with a scanner that
 * knows strings and nesting (no value is built).
 */
function splitJsonList(source: string, open: number): SplitList | undefined {
  const items: ListItemText[] = [];
  let kind: string | undefined;
  let apiVersion = false;
  let depth = 0;
  let key: string | undefined;
  let expectKey = false;
  let inItems = false;
  let itemStart = -1;
  let itemsFrom = -1;
  let itemsTo = -1;
  const push = (end: number) => {
    if (itemsFrom < 0) itemsFrom = itemStart;
    itemsTo = end;
    items.push({ text: source.slice(itemStart, end).trimEnd(), line: lineOf(itemStart) });
    itemStart = -1;
  };
  let line = 1 + countNewlines(source, 0, open);
  let lineAt = open;
  const lineOf = (offset: number) => {
    line += countNewlines(source, lineAt, offset);
    lineAt = offset;
    return line;
  };
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
      if (j >= source.length) return undefined;
      if (inItems && depth === 2 && itemStart < 0) itemStart = i;
      if (depth === 1) {
        const text = source.slice(i + 1, j);
        if (expectKey) {
          key = text;
          expectKey = false;
        } else if (key === 'kind') {
          kind = text;
        } else if (key === 'apiVersion') {
          apiVersion = text !== '';
        }
      }
      i = j;
    } else if (c === '{' || c === '[') {
      if (inItems && depth === 2 && itemStart < 0) itemStart = i;
      depth++;
      if (depth === 1 && c !== '{') return undefined;
      if (depth === 1) expectKey = true;
      if (depth === 2 && c === '[' && key === 'items') {
        if (items.length > 0) return undefined;
        inItems = true;
      }
    } else if (c === '}' || c === ']') {
      if (inItems && depth === 2 && itemStart >= 0) push(i);
      depth--;
      if (depth === 1 && inItems) inItems = false;
      if (depth === 0) {
        if (/\S/.test(source.slice(i + 1))) return undefined;
        break;
      }
    } else if (c === ',') {
      if (depth === 1) expectKey = true;
      if (inItems && depth === 2 && itemStart >= 0) push(i);
    } else if (!/\s|:/.test(c) && inItems && depth === 2 && itemStart < 0) {
      itemStart = i;
    }
  }
  if (depth !== 0 || !kind || !/List$/.test(kind) || !apiVersion || items.length === 0) return undefined;
  return { kind, items, header: source.slice(0, itemsFrom) + source.slice(itemsTo) };
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
