/**
 * The Corefile lexer (not exported from the package).
 */

/** One token of the Corefile grammar (a word or a quoted string). */
export interface Token {
  /** The value, without quotes. */
  readonly value: string;
  /** Whether it was written in double quotes (a quoted `{` is not a brace). */
  readonly quoted: boolean;
  /** Offset of its first character in the text. */
  readonly offset: number;
  /** Line of its first character (1-based). */
  readonly line: number;
  /** Line of its last character (a quoted string can span lines). */
  readonly endLine: number;
  /** Whether no other token precedes it on its line. */
  readonly startsLine: boolean;
}

export function parseError(line: number, message: string): Error {
  return new Error(`Corefile line ${line}: ${message}`);
}

/**
 * Splits the text into tokens the way CoreDNS's Caddyfile lexer (coredns/caddy `caddyfile/lexer.go`)
 * does: whitespace separates tokens; a `#` at the start of a token comments out the rest of the line,
 * a `#` inside a token ends it and drops the rest of that word (`}# x` is `}` then `x`, as in CoreDNS);
 * a `"` at the start of a token quotes up to the next unescaped `"`, where `\\` escapes any character
 * and only `\"` loses its backslash; a `\r` outside quotes is dropped without ending a word. A byte
 * order mark (U+FEFF) first in the text is skipped, as
 * caddy's `lexer.load` does. A quoted `"{"` is still a brace to CoreDNS's parser (it compares the
 * unquoted text): `isOpen()` and `isClose()` say so.
 */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  // Go's unicode.IsSpace, which CoreDNS's lexer uses, also counts U+0085 (NEL) as a space, and unlike
  // JavaScript's \s does not count U+FEFF (a byte order mark inside the text is part of a token).
  const isSpace = (c: string) => c !== '\ufeff' && /[\s\u0085]/.test(c);
  let i = text.startsWith('\ufeff') ? 1 : 0;
  let line = 1;
  let lastEndLine = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const startLine = line;
    let value = '';
    const quoted = ch === '"';
    if (quoted) {
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i];
        if (c === '\\' && i + 1 < text.length) {
          // Like caddy: a backslash escapes the next character; only an escaped quote loses its
          // backslash (so "C:\\" ends at its last quote and keeps both backslashes).
          const next = text[i + 1];
          if (next === '\n') line++;
          value += next === '"' ? '"' : `\\${next}`;
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\n') line++;
        value += c;
        i++;
      }
      if (!closed) throw parseError(startLine, 'unterminated quote: a \'"\' opened here is never closed');
    } else {
      // Like caddy: a '#' inside a word ends it, and the rest of that word (up to whitespace) is a
      // comment. A '#' that starts a word comments out the rest of the line (handled above).
      // Like caddy too: a '\r' outside quotes is dropped and does not end the word (`a\rb` is `ab`; in a
      // CRLF file the '\r' before each '\n' simply disappears).
      const inWord = (c: string) => c === '\r' || !isSpace(c);
      for (; i < text.length && inWord(text[i]) && text[i] !== '#'; i++) if (text[i] !== '\r') value += text[i];
      while (i < text.length && inWord(text[i])) i++;
    }
    tokens.push({ value, quoted, offset: start, line: startLine, endLine: line, startsLine: lastEndLine < startLine });
    lastEndLine = line;
  }
  return tokens;
}


/** Whether the token opens a block: caddy's parser compares the unquoted text, so a quoted `"{"` does too. */
export const isOpen = (t: Token) => t.value === '{';
/** Whether the token closes a block (a quoted `"}"` included, as in caddy). */
export const isClose = (t: Token) => t.value === '}';
