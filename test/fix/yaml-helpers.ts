/**
 * Helpers of the fix-mode YAML tests: document slices of a text, and a line diff.
 */
import { parseSourceDocuments } from '../../src/fix/sources';

/** Each document's exact text (slices that cover the text end to end), with its parsed value. */
export function documentSlices(text: string): Array<{ text: string; value: any }> {
  const parsed = parseSourceDocuments('test.yaml', text);
  return parsed.docs.map((d) => ({ text: parsed.text.slice(d.start, d.end), value: d.value }));
}

/** The lines of `a` missing from `b` and the lines of `b` missing from `a` (longest common subsequence). */
export function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      removed.push(x[i++]);
    } else {
      added.push(y[j++]);
    }
  }
  removed.push(...x.slice(i));
  added.push(...y.slice(j));
  return { removed, added };
}

/** The start of a line up to its key or item marker: what an edited line keeps. */
export function linePrefix(line: string): string {
  const m = /^\s*(- )?[^:{[]*/.exec(line);
  return m ? m[0] : line;
}
