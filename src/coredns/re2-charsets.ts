/**
 * The name alphabet and the character classes of RE2 syntax, evaluated on it (for the in-cluster guard
 * of `regex.ts`; not exported from the package).
 */
/**
 * The characters a query name can hold, as CoreDNS hands it to the regex: CoreDNS lower-cases the
 * name (`request.Request.Name()`), and host names, Service, namespace and pod names, pod IPs written
 * with dashes and SRV labels (`_http._tcp`) use only these.
 */
export const NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-_.';
export const LABEL_CHARS = NAME_ALPHABET.slice(0, -1);
export const SYMBOLS = [...NAME_ALPHABET];
export const N_SYMBOLS = SYMBOLS.length;

/** Why a pattern cannot be judged (the guard then refuses it). */
export class Re2Unsupported extends Error {}

/** Code points a class must be judged on: the alphabet and everything that case-folds onto it. */
export type CharSet = boolean[]; // indexed like SYMBOLS: does the item match that symbol?

const KELVIN = 0x212a;
const LONG_S = 0x17f;

/** The code points that simple case folding maps onto the lower-case alphabet symbol `s`. */
function foldPartners(s: string): number[] {
  const cp = s.codePointAt(0)!;
  if (s >= 'a' && s <= 'z') {
    const up = [cp - 32];
    if (s === 'k') up.push(KELVIN);
    if (s === 's') up.push(LONG_S);
    return up;
  }
  return [];
}

/** The other code points in the simple case-folding orbit of `cp`, for the code points the guard asks about. */
export function caseOrbit(cp: number): number[] {
  if (cp === KELVIN) return [0x6b, 0x4b];
  if (cp === LONG_S) return [0x73, 0x53];
  const lower = cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  if (lower < 0x61 || lower > 0x7a) return [];
  const out = [lower, lower - 32].filter((x) => x !== cp);
  if (lower === 0x6b) out.push(KELVIN);
  if (lower === 0x73) out.push(LONG_S);
  return out;
}

/** A predicate on code points, correct on the alphabet, upper-case ASCII, U+212A and U+017F. */
export type CpPred = (cp: number) => boolean;

export const between = (lo: number, hi: number): CpPred => (cp) => cp >= lo && cp <= hi;
const isDigit = between(0x30, 0x39);
const isUpper = (cp: number) => (cp >= 0x41 && cp <= 0x5a) || cp === KELVIN;
const isLower = (cp: number) => (cp >= 0x61 && cp <= 0x7a) || cp === LONG_S;
const isAsciiUpper = between(0x41, 0x5a);
const isAsciiLower = between(0x61, 0x7a);
const isWord = (cp: number) => isDigit(cp) || isAsciiUpper(cp) || isAsciiLower(cp) || cp === 0x5f;
const isSpace = (cp: number) => cp === 0x20 || (cp >= 0x09 && cp <= 0x0d && cp !== 0x0b);

/** Perl classes (`\d \s \w`), ASCII only as in RE2. */
export const PERL: Record<string, CpPred> = { d: isDigit, s: isSpace, w: isWord };

/** POSIX classes (`[[:alnum:]]`), ASCII only as in RE2. */
export const POSIX: Record<string, CpPred> = {
  alnum: (cp) => isDigit(cp) || isAsciiUpper(cp) || isAsciiLower(cp),
  alpha: (cp) => isAsciiUpper(cp) || isAsciiLower(cp),
  ascii: between(0, 0x7f),
  blank: (cp) => cp === 0x20 || cp === 0x09,
  cntrl: (cp) => cp < 0x20 || cp === 0x7f,
  digit: isDigit,
  graph: between(0x21, 0x7e),
  lower: isAsciiLower,
  print: between(0x20, 0x7e),
  punct: (cp) => between(0x21, 0x7e)(cp) && !isDigit(cp) && !isAsciiUpper(cp) && !isAsciiLower(cp),
  space: (cp) => isSpace(cp) || cp === 0x0b,
  upper: isAsciiUpper,
  word: isWord,
  xdigit: (cp) => isDigit(cp) || between(0x41, 0x46)(cp) || between(0x61, 0x66)(cp),
};

const isLetter = (cp: number) => isUpper(cp) || isLower(cp);
const none: CpPred = () => false;
/**
 * Unicode classes (`\pL`, `\p{Greek}`), exact on the code points the guard asks about (the alphabet,
 * A-Z, U+212A KELVIN SIGN and U+017F LATIN SMALL LETTER LONG S). A class not listed here is refused.
 */
export const UNICODE: Record<string, CpPred> = {
  Any: () => true,
  L: isLetter,
  Lu: isUpper,
  Ll: isLower,
  Lt: none,
  Lm: none,
  Lo: none,
  N: isDigit,
  Nd: isDigit,
  Nl: none,
  No: none,
  P: (cp) => cp === 0x2d || cp === 0x5f || cp === 0x2e,
  Pd: (cp) => cp === 0x2d,
  Pc: (cp) => cp === 0x5f,
  Po: (cp) => cp === 0x2e,
  Ps: none,
  Pe: none,
  Pi: none,
  Pf: none,
  S: none,
  Sm: none,
  Sc: none,
  Sk: none,
  So: none,
  Z: none,
  Zs: none,
  Zl: none,
  Zp: none,
  M: none,
  Mn: none,
  Mc: none,
  Me: none,
  C: (cp) => cp < 0x20 || cp === 0x7f,
  Cc: (cp) => cp < 0x20 || cp === 0x7f,
  Cf: none,
  Co: none,
  Cs: none,
  Latin: isLetter,
  Common: (cp) => isDigit(cp) || (cp < 0x80 && !isAsciiUpper(cp) && !isAsciiLower(cp)),
  Greek: none,
  Cyrillic: none,
  Han: none,
  Arabic: none,
  Hebrew: none,
  Hiragana: none,
  Katakana: none,
};

/** Evaluates a code-point predicate on the alphabet, folding case when `fold` (RE2's `(?i)`). */
export function toSet(pred: CpPred, fold: boolean, negate: boolean): CharSet {
  return SYMBOLS.map((s) => {
    const hit = pred(s.codePointAt(0)!) || (fold && foldPartners(s).some(pred));
    return negate ? !hit : hit;
  });
}
