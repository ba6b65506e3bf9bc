import { Token } from './lexer';

/**
 * A directive of a Corefile server block (a plugin and its arguments), with the subdirectives of its
 * `{ ... }` block if it has one.
 */
export class CorefileDirective {
  /** @internal */
  public static _fromToken(token: Token): CorefileDirective {
    return new CorefileDirective(token);
  }

  /** The directive name, for example `kubernetes`. */
  public readonly name: string;
  /** Its arguments, unquoted. */
  public readonly args: string[];
  /** The line it starts on (1-based). */
  public readonly line: number;
  /** The directives inside its `{ ... }` block (empty when it has none). */
  public readonly subdirectives: CorefileDirective[] = [];
  /** @internal */
  public readonly _token: Token;
  /** @internal */
  public _hasBlock: boolean = false;

  private constructor(token: Token) {
    this._token = token;
    this.name = token.value;
    this.args = [];
    this.line = token.line;
  }

  /** Whether it has a `{ ... }` block. */
  public get hasBlock(): boolean {
    return this._hasBlock;
  }
}

/** A server block of a Corefile: its keys (zones and ports, such as `.:53`) and its directives. */
export class CorefileServerBlock {
  /** @internal */
  public static _create(keys: string[], line: number, directives: CorefileDirective[]): CorefileServerBlock {
    return new CorefileServerBlock(keys, line, directives);
  }

  /** The keys before the `{`, without the commas that separate them, for example `['.:53']`. */
  public readonly keys: string[];
  /** The line of its first key (1-based). */
  public readonly line: number;
  /** Its directives, in file order. */
  public readonly directives: CorefileDirective[];

  private constructor(keys: string[], line: number, directives: CorefileDirective[]) {
    this.keys = keys;
    this.line = line;
    this.directives = directives;
  }

  /** Whether one of its keys is the root zone `.` on port 53 (`.`, `.:53`, `dns://.` or `dns://.:53`). */
  public get servesRootOnPort53(): boolean {
    return this.keys.some((k) => /^(dns:\/\/)?\.(:53)?$/i.test(k));
  }

  /**
   * Whether one of its keys is the root zone `.`, on any port or transport (`.`, `.:5353`,
   * `dns://.:53`, `tls://.:853`, ...): the block answers every name no other block claims.
   */
  public get servesRoot(): boolean {
    return this.keys.some((k) => /^([a-z0-9+-]+:\/\/)?\.(:[^:]*)?$/i.test(k));
  }

  /**
   * The first top-level directive with this name, or `undefined`.
   *
   * @param name the directive name, for example `kubernetes`
   */
  public directive(name: string): CorefileDirective | undefined {
    return this.directives.find((d) => d.name === name);
  }
}
