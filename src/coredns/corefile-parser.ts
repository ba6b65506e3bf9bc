/**
 * Reads the server blocks of a Corefile the way CoreDNS's Caddyfile parser does (coredns/caddy
 * `caddyfile/parse.go`), without recursion. Not exported from the package: `Corefile` uses it, and the
 * checker reads Corefiles through `readServerBlocks()`.
 */
import { isClose, isOpen, lex, parseError, Token } from './lexer';
import { CorefileDirective, CorefileServerBlock } from './server-block';

/**
 * The deepest block nesting accepted. CoreDNS plugins nest two or three levels; a deeper file is
 * refused with the line where the limit is crossed (the parser itself is iterative, so this is a
 * sanity limit, not a stack guard).
 */
export const MAX_NESTING = 100;

interface Frame {
  readonly directives: CorefileDirective[];
  readonly open?: Token;
  current?: CorefileDirective;
  prevEndLine: number;
}

/**
 * Parses the server blocks of a Corefile (snippets included), without requiring a main block. Throws,
 * naming the line, on an unbalanced brace, an unterminated quote, nesting deeper than `MAX_NESTING`,
 * two server blocks for the same zone and port, or text that is not UTF-8.
 *
 * Like caddy: a server block's keys are the tokens of its first line (a trailing comma continues the
 * list on the next line); a `{` (quoted or not) that follows them opens the block. Without that `{`
 * the block has no braces and runs to the end of the file (CoreDNS accepts one such block). A
 * top-level `import` line is skipped: it pulls in files CoreDNS reads at startup, which this model
 * cannot see. Environment variables (`{$CLUSTER_DOMAIN}`, `{%VAR%}`) are kept as written: they are
 * substituted only when CoreDNS starts.
 */
export function readServerBlocks(text: string): CorefileServerBlock[] {
  checkEncoding(text);
  const tokens = lex(text);
  let blocks: CorefileServerBlock[];
  try {
    blocks = parseServerBlocks(tokens);
  } catch (e) {
    throw withUnclosedHint(e as Error, text, tokens);
  }
  checkDuplicateKeys(blocks);
  return blocks;
}

/** Refuses text that was decoded with the wrong encoding (UTF-16 read as UTF-8 holds NUL characters). */
function checkEncoding(text: string): void {
  const nul = text.indexOf('\u0000');
  if (nul < 0) return;
  const line = text.slice(0, nul).split('\n').length;
  throw parseError(line, 'the text holds NUL characters, so it is most likely UTF-16 (Windows PowerShell 5.1\'s \'>\' writes UTF-16 LE with a byte order mark) decoded as UTF-8: '
    + 'read the file with Corefile.fromFile(), which decodes UTF-16, or save it as UTF-8');
}

function parseServerBlocks(tokens: Token[]): CorefileServerBlock[] {
  const blocks: CorefileServerBlock[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (tokens[i].value === 'import' && tokens[i].startsLine) {
      const line = tokens[i].endLine;
      for (i++; i < tokens.length && tokens[i].line === line && !tokens[i].startsLine; i++) {
        if (isOpen(tokens[i]) || isClose(tokens[i])) throw parseError(tokens[i].line, `unexpected '${tokens[i].value}' after a top-level import`);
      }
      continue;
    }
    // Keys: the tokens of this line, and of the next while the last one ends with a comma.
    const keys: Token[] = [];
    let expectingAnother = false;
    for (;;) {
      const t = tokens[i];
      if (isOpen(t)) {
        if (expectingAnother) throw parseError(t.line, `expected another server block key after "${keys[keys.length - 1].value}", got '{' (check for an extra comma)`);
        break;
      }
      if (isClose(t)) throw parseError(t.line, 'unbalanced brace: this \'}\' closes nothing');
      if (t.value !== '') {
        expectingAnother = t.value.endsWith(',');
        keys.push(t);
      }
      i++;
      if (i >= tokens.length) {
        if (expectingAnother) throw parseError(t.line, `the server block key "${t.value}" ends with a comma, but no key follows`);
        break;
      }
      if (!expectingAnother && tokens[i].startsLine) break;
    }
    if (keys.length === 0) throw parseError(tokens[i].line, 'unexpected \'{\': a server block needs keys such as ".:53" before it');
    const names = keys.map((k) => k.value.replace(/,$/, '')).filter((k) => k.length > 0);
    const braced = i < tokens.length && isOpen(tokens[i]);
    const body = parseBody(tokens, braced ? i + 1 : i, braced ? tokens[i] : undefined);
    blocks.push(CorefileServerBlock._create(names, keys[0].line, body.directives));
    i = body.next;
  }
  return blocks;
}

/**
 * The directives of a server block, from `tokens[start]` to its `}` (or, without `open`, to the end of
 * the file or a `}` that starts a line, as caddy reads a block without braces). Iterative: each nested
 * `{ ... }` is a frame on an explicit stack.
 */
function parseBody(tokens: Token[], start: number, open: Token | undefined): { directives: CorefileDirective[]; next: number } {
  const root: Frame = { directives: [], open, prevEndLine: open?.endLine ?? 0 };
  const stack: Frame[] = [root];
  let i = start;
  for (;;) {
    const frame = stack[stack.length - 1];
    if (i >= tokens.length) {
      if (frame.open === undefined) return { directives: root.directives, next: i };
      throw parseError(frame.open.line, 'unbalanced brace: the \'{\' opened here is never closed');
    }
    const t = tokens[i];
    if (isClose(t)) {
      if (stack.length > 1) {
        stack.pop();
        stack[stack.length - 1].prevEndLine = t.endLine;
        i++;
        continue;
      }
      if (frame.current !== undefined && !(t.line > frame.prevEndLine)) {
        // caddy: "Unexpected '}' because no matching opening brace" (a block's '}' must start its line).
        throw parseError(t.line, 'unexpected \'}\' on the line of a directive: CoreDNS wants the \'}\' that closes a server block on a line of its own');
      }
      return { directives: root.directives, next: i + 1 };
    }
    if (isOpen(t)) {
      const owner = frame.current;
      if (!owner || owner._hasBlock) throw parseError(t.line, 'unexpected \'{\': it does not follow a directive');
      if (stack.length > MAX_NESTING) throw parseError(t.line, `blocks nest more than ${MAX_NESTING} levels deep (CoreDNS plugins nest two or three)`);
      owner._hasBlock = true;
      stack.push({ directives: owner.subdirectives, open: t, prevEndLine: t.endLine });
      i++;
      continue;
    }
    if (!frame.current || t.line > frame.prevEndLine) {
      frame.current = CorefileDirective._fromToken(t);
      frame.directives.push(frame.current);
    } else {
      frame.current.args.push(t.value);
    }
    frame.prevEndLine = t.endLine;
    i++;
  }
}

/**
 * A missing `}` is found only at the end of the file, and then the outermost block is the one left
 * open. The `{` whose `}` is indented like an outer line is most likely the real culprit: name it.
 */
function withUnclosedHint(error: Error, text: string, tokens: Token[]): Error {
  if (!/never closed$/.test(error.message)) return error;
  const indentOf = (t: Token) => {
    const start = text.lastIndexOf('\n', t.offset - 1) + 1;
    return /^[ \t]*/.exec(text.slice(start))![0];
  };
  const stack: Token[] = [];
  for (const t of tokens) {
    if (isOpen(t)) {
      stack.push(t);
    } else if (isClose(t) && stack.length > 0) {
      const open = stack.pop()!;
      if (!t.startsLine || indentOf(t) === indentOf(open)) continue;
      const outer = [...stack].reverse().find((o) => indentOf(o) === indentOf(t));
      if (outer) {
        return new Error(`${error.message}; the '{' on line ${open.line} is probably the one left open (its '}' on line ${t.line} is indented like line ${outer.line})`);
      }
    }
  }
  return error;
}

/** Default ports of CoreDNS's transports. */
const DEFAULT_PORTS: Record<string, string> = { dns: '53', tls: '853', quic: '853', grpc: '443', https: '443', https3: '443' };

/**
 * A server block key as CoreDNS compares keys (`transport://zone.:port`, lower-case), or `undefined`
 * when it holds an environment variable or is a snippet name.
 */
export function normalizeKey(key: string): string | undefined {
  if (/\{[$%]/.test(key) || /^\(.*\)$/.test(key)) return undefined;
  let rest = key.toLowerCase();
  let transport = 'dns';
  const scheme = /^([a-z0-9+]+):\/\//.exec(rest);
  if (scheme) {
    transport = scheme[1];
    rest = rest.slice(scheme[0].length);
  }
  const colon = rest.lastIndexOf(':');
  let zone = colon >= 0 && !rest.includes(']', colon) ? rest.slice(0, colon) : rest;
  const port = colon >= 0 && zone !== rest ? rest.slice(colon + 1) : DEFAULT_PORTS[transport] ?? '';
  if (!zone.endsWith('.')) zone += '.';
  return `${transport}://${zone}:${port}`;
}

/**
 * Refuses two server blocks for the same zone and port, as CoreDNS does ("cannot serve dns://.:53 -
 * it is already defined"). Blocks with a `bind` directive are left alone: newer CoreDNS versions
 * accept the same key on different addresses.
 */
function checkDuplicateKeys(blocks: CorefileServerBlock[]): void {
  const seen = new Map<string, CorefileServerBlock>();
  for (const b of blocks) {
    if (b.directive('bind')) continue;
    for (const key of b.keys) {
      const norm = normalizeKey(key);
      if (norm === undefined) continue;
      const other = seen.get(norm);
      if (other && other !== b) {
        throw parseError(b.line, `the server block key "${key}" is already served by the block at line ${other.line}; CoreDNS refuses to start ("cannot serve ${norm} - it is already defined"): merge the two blocks`);
      }
      seen.set(norm, b);
    }
  }
}

/**
 * Decodes a Corefile read from disk: UTF-8 (a byte order mark is dropped), or UTF-16 LE or BE with a
 * byte order mark (Windows PowerShell 5.1's `>` writes UTF-16 LE). UTF-16 without a byte order mark is
 * refused with a message that names it.
 *
 * @param bytes the file's bytes
 * @param source the file name, quoted in errors
 */
export function decodeCorefile(bytes: Uint8Array, source: string): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // UTF-32 (Windows PowerShell's `Out-File -Encoding utf32`): its byte order mark starts like UTF-16 LE's.
  const utf32 = b.length >= 4
    && ((b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff));
  if (utf32) {
    throw new Error(`Corefile ${JSON.stringify(source)} is UTF-32 (it starts with a UTF-32 byte order mark), which CoreDNS cannot read either; save it as UTF-8`);
  }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const swapped = Buffer.from(b.subarray(2, b.length - ((b.length - 2) % 2)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  if (b.includes(0)) {
    throw new Error(`Corefile ${JSON.stringify(source)} holds NUL bytes: it looks like UTF-16 without a byte order mark, which cannot be told apart safely; save it as UTF-8`);
  }
  return b.toString('utf8');
}
