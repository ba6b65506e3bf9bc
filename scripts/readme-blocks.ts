/**
 * The README's consumer quick start, read from README.md itself so that the consumer test
 * (scripts/consumer-test.ts) runs exactly what a new user copies.
 *
 * A fenced code block belongs to the quick start when the line just before its opening fence is
 * `<!-- consumer-test: NAME -->`. Blocks with the same name are joined in order (the quick start shows
 * `main.ts` in parts, one fix at a time).
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..');
export const README = path.join(ROOT, 'README.md');

const MARKER = /^<!--\s*consumer-test:\s*([\w.-]+)\s*-->\s*$/;
const FENCE = /^```/;

/** Every marked block of `markdown`, by name, blocks of one name joined with a blank line. */
export function markedBlocks(markdown: string, file = 'README.md'): Map<string, string> {
  const lines = markdown.split('\n');
  const blocks = new Map<string, string[]>();
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]);
    if (!m) continue;
    if (!FENCE.test(lines[i + 1] ?? '')) {
      throw new Error(`${file}:${i + 1}: marker "${m[1]}" must be followed directly by a fenced code block, got ${JSON.stringify(lines[i + 1])}`);
    }
    const end = lines.findIndex((l, j) => j > i + 1 && FENCE.test(l));
    if (end < 0) throw new Error(`${file}:${i + 2}: the code block of marker "${m[1]}" is not closed`);
    const parts = blocks.get(m[1]) ?? [];
    parts.push(lines.slice(i + 2, end).join('\n'));
    blocks.set(m[1], parts);
    i = end;
  }
  return new Map([...blocks].map(([name, parts]) => [name, parts.join('\n\n') + '\n']));
}

/** The quick start's files and commands. */
export interface QuickStart {
  /** The install commands, one a line (comments removed). */
  readonly install: string[];
  /** The commands that check, synthesize and check again, one a line (comments removed). */
  readonly run: string[];
  /** cdk8s.yaml, verbatim. */
  readonly cdk8sYaml: string;
  /** tsconfig.json, verbatim. */
  readonly tsconfig: string;
  /** main.ts, its parts joined in README order. */
  readonly mainTs: string;
}

/** Shell lines of a block, without comments and blank lines. */
function commands(block: string): string[] {
  return block.split('\n').map((l) => l.replace(/\s+#.*$/, '').replace(/^#.*$/, '').trim()).filter((l) => l !== '');
}

/** Reads the quick start from README.md; fails naming the block that is missing. */
export function readQuickStart(readme = README): QuickStart {
  const blocks = markedBlocks(fs.readFileSync(readme, 'utf-8'), path.basename(readme));
  const get = (name: string): string => {
    const block = blocks.get(name);
    if (block === undefined) throw new Error(`${readme} has no code block marked <!-- consumer-test: ${name} -->`);
    return block;
  };
  return {
    install: commands(get('install')),
    run: commands(get('run')),
    cdk8sYaml: get('cdk8s.yaml'),
    tsconfig: get('tsconfig.json'),
    mainTs: get('main.ts'),
  };
}
