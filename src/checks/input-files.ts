/**
 * Finding and reading the checker's input files and standard input, each up to a size limit, into one
 * `ParsedInput` (the parsing itself is `input.ts`).
 *
 * Not exported from the package barrel.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  DEFAULT_MAX_INPUT_BYTES, emptyInput, IGNORED_FILE_NAMES, InputError, MANIFEST_EXTENSIONS, ParsedInput, parseSource, ReadOptions, STDIN_NAME,
} from './input';

/**
 * The manifest files under `dir`, recursively, in a stable (sorted) order. Symbolic links to
 * directories are not followed (no cycles); links to files are read. `IGNORED_FILE_NAMES` are passed over.
 *
 * @param onError called with each subdirectory that cannot be listed (it is then passed over); without it, the error is thrown
 */
export function findManifestFiles(dir: string, onError?: (e: InputError) => void): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      const error = new InputError(d, undefined, undefined, `cannot read directory: ${errorCode(e)}`);
      if (!onError) throw error;
      onError(error);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (MANIFEST_EXTENSIONS.includes(path.extname(entry.name).toLowerCase()) && !IGNORED_FILE_NAMES.includes(entry.name)) {
        if (entry.isFile() || (entry.isSymbolicLink() && isFile(full))) out.push(full);
      }
    }
  };
  walk(dir);
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads at most `maxBytes` bytes of a file; a longer file (or a device that never ends, like `/dev/zero`)
 * is an error naming the limit.
 *
 * @throws InputError when the file cannot be read or is larger than `maxBytes`
 */
export function readFileBounded(file: string, maxBytes: number = DEFAULT_MAX_INPUT_BYTES, name: string = file): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new InputError(name, undefined, undefined, `cannot read: ${errorCode(e)}`);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
      let n: number;
      try {
        n = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw new InputError(name, undefined, undefined, `cannot read: ${errorCode(e)}`);
      }
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooLarge(name, maxBytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** The error of a source larger than `maxBytes`. */
export function tooLarge(file: string, maxBytes: number): InputError {
  return new InputError(file, undefined, undefined, `larger than the input limit of ${formatBytes(maxBytes)}; split it, or raise the limit (--max-input-mb)`);
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}

/**
 * Reads files and directories (never writes them) into one `ParsedInput`. `stdinText` is the text (or the
 * bytes) read from standard input, used for the argument `-`.
 *
 * @throws InputError without `options.continueOnError`, when a path does not exist or cannot be read, or a file does not parse
 */
export function readInputs(args: readonly string[], stdinText?: string | Buffer, options: ReadOptions = {}): ParsedInput {
  const into = emptyInput();
  const fail = (e: InputError): void => {
    if (!options.continueOnError) throw e;
    into.errors.push(e);
  };
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  for (const arg of args) {
    if (arg === '-') {
      const stdin = stdinText ?? '';
      if (stdin.length > maxBytes) fail(tooLarge(STDIN_NAME, maxBytes));
      else parseSource(STDIN_NAME, stdin, into, options);
      continue;
    }
    // Read at `at(x)`, shown as `x` (or as the path under `arg` for a file found in a directory).
    const base = options.baseDir;
    const at = (p: string): string => (base === undefined ? p : path.resolve(base, p));
    const shown = (p: string): string => (base === undefined ? p : path.join(arg, path.relative(at(arg), p)));
    let stat: fs.Stats;
    try {
      stat = fs.statSync(at(arg));
    } catch (e) {
      fail(new InputError(arg, undefined, undefined, `cannot read: ${errorCode(e)}`));
      continue;
    }
    const onDirError = options.continueOnError
      ? (e: InputError) => fail(new InputError(shown(e.file), e.line, e.column, e.detail))
      : undefined;
    const files = stat.isDirectory() ? findManifestFiles(at(arg), onDirError).map(shown) : [arg];
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = readFileBounded(at(file), maxBytes, file);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        fail(e);
        continue;
      }
      parseSource(file, bytes, into, options);
    }
  }
  return into;
}

function errorCode(e: unknown): string {
  const code = (e as any)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}
