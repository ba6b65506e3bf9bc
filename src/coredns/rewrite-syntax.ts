/**
 * The one reader of CoreDNS `rewrite` directives (not exported from the package). `Corefile` builds its
 * `RewriteRule`s from it and the checker's TKE-DNS-001 judges its output; it names every problem
 * instead of throwing:
 *
 *   rewrite [continue|stop] name [exact|prefix|suffix|substring|regex] FROM TO
 *           [answer auto | answer name FROM TO | answer value FROM TO]
 *
 * and the block form `rewrite [continue|stop] { name ... \n answer name ... }`. CoreDNS lower-cases the
 * mode, the field (`name`) and the match type, so `rewrite STOP name EXACT ...` counts; with two words
 * after `name` the type is `exact`, with more the first word is the type (plugin/rewrite/name.go).
 *
 * @see https://coredns.io/plugins/rewrite/
 */
import { compileRe2 } from './regex';
import { CorefileDirective } from './server-block';

/** Match types of the `name` field. */
export const NAME_TYPES = ['exact', 'prefix', 'suffix', 'substring', 'regex'];

/** One `rewrite ... name ...` directive as written, with what is wrong with its grammar. */
export interface RewriteSyntax {
  /** 1-based line of the `rewrite` directive. */
  readonly line: number;
  /** 1-based line of the `name` words (the `name` line of the block form). */
  readonly ruleLine: number;
  /** The directive as written (tokens joined by spaces; a block form as its first line and `{`). */
  readonly text: string;
  /** The words after `rewrite` that make the rule (the mode, `name`, type, FROM, TO, options). */
  readonly words: string[];
  /** `stop` or `continue`, lower-case. */
  readonly mode: string;
  /** The match type (lower-case), `exact` when omitted. */
  readonly type: string;
  /** Whether the type was written. */
  readonly explicitType: boolean;
  /** FROM as written. */
  readonly from?: string;
  /** TO as written. */
  readonly to?: string;
  /** The words after FROM and TO. */
  readonly options: string[];
  /** `auto`, `name` or `value` for each `answer` option. */
  readonly answers: string[];
  /** Grammar problems, each a sentence fragment (empty when CoreDNS would load the rule). */
  readonly problems: string[];
}

/**
 * The `name` rewrite of a `rewrite` directive, or `undefined` when it rewrites another field (`type`,
 * `edns0`, ...).
 *
 * @param d a `rewrite` directive of the Corefile model
 */
export function readRewrite(d: CorefileDirective): RewriteSyntax | undefined {
  let words = [...d.args];
  let ruleLine = d.line;
  if (d.hasBlock) {
    // Block form: the rule is the `name` line, with the `answer` lines after it as options.
    const name = d.subdirectives.find((s) => s.name.toLowerCase() === 'name');
    if (!name) return undefined;
    ruleLine = name.line;
    words = [...words, name.name, ...name.args];
    for (const sub of d.subdirectives.filter((s) => s !== name)) words.push(sub.name, ...sub.args);
  }
  let rest = words;
  let mode = 'stop';
  if (/^(continue|stop)$/i.test(rest[0] ?? '')) {
    mode = rest[0].toLowerCase();
    rest = rest.slice(1);
  }
  if (rest[0]?.toLowerCase() !== 'name') return undefined;
  const args = rest.slice(1);
  const text = ['rewrite', ...d.args, ...(d.hasBlock ? ['{'] : [])].join(' ');
  return { line: d.line, ruleLine, text, words, mode, ...parseNameArgs(args) };
}

/** Parses the words after `name`. */
function parseNameArgs(args: string[]): Pick<RewriteSyntax, 'type' | 'explicitType' | 'from' | 'to' | 'options' | 'answers' | 'problems'> {
  const problems: string[] = [];
  const explicitType = args.length >= 3 && NAME_TYPES.includes(args[0].toLowerCase());
  const type = explicitType ? args[0].toLowerCase() : 'exact';
  const rest = explicitType ? args.slice(1) : args;
  const from = rest[0];
  const to = rest[1];
  if (from === undefined || to === undefined) problems.push('it needs a FROM and a TO name');
  const options = rest.slice(2);
  const answers: string[] = [];
  if (options.length > 0 && !explicitType) {
    problems.push(`it has options (${options.join(' ')}) but no type; CoreDNS requires the type when an option is given`);
  }
  if (type === 'regex' && from !== undefined) {
    const { error } = compileRe2(from);
    if (error !== undefined) problems.push(`FROM ${JSON.stringify(from)} is refused: ${error}; CoreDNS would not load it`);
  }
  if (!explicitType) return { type, explicitType, from, to, options, answers, problems };
  for (let k = 0; k < options.length; ) {
    if (options[k].toLowerCase() !== 'answer') {
      problems.push(`${JSON.stringify(options[k])} is not a rewrite option (expected answer auto, answer name FROM TO or answer value FROM TO)`);
      k++;
      continue;
    }
    const what = options[k + 1]?.toLowerCase();
    if (what === 'auto') {
      answers.push('auto');
      k += 2;
    } else if (what === 'name' || what === 'value') {
      if (options[k + 2] === undefined || options[k + 3] === undefined) problems.push(`answer ${what} needs a FROM and a TO`);
      if (what === 'name' && type === 'regex' && options[k + 2] !== undefined) {
        const { error } = compileRe2(options[k + 2]);
        if (error !== undefined) problems.push(`answer name FROM ${JSON.stringify(options[k + 2])} is refused: ${error}; CoreDNS would not load it`);
      }
      answers.push(what);
      k += 4;
    } else {
      problems.push(what === undefined ? 'answer must be followed by auto, name or value' : `answer ${JSON.stringify(options[k + 1])} must be followed by auto, name or value`);
      k += 2;
    }
  }
  return { type, explicitType, from, to, options, answers, problems };
}
