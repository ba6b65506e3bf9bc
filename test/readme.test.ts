import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { markedBlocks, readQuickStart, ROOT } from '../scripts/readme-blocks';
import * as lib from '../src';

/*
 * The README's quick start is run as written by the consumer test (scripts/consumer-test.ts, at the end
 * of `npx projen build`). These tests keep the blocks it reads well-formed, and the docs' copies of them
 * equal, without the network.
 */

describe("the README's quick start", () => {
  const quick = readQuickStart();

  test('installs this package, cdk8s-plus-27 and a TypeScript and ts-node that work together', () => {
    expect(quick.install).toEqual([
      'npm init -y',
      'npm install cdk8s-tke-loopback cdk8s-plus-27 cdk8s constructs',
      'npm install -D cdk8s-cli typescript@~5.9.3 ts-node@^10.9.2',
    ]);
  });

  test('compiles main.ts with strict, and main.ts imports cdk8s-plus-27 and this package by name', () => {
    expect(JSON.parse(quick.tsconfig).compilerOptions.strict).toBe(true);
    expect(quick.run).toContain('npx tsc --noEmit --strict');
    expect(quick.mainTs).toContain("import * as kplus from 'cdk8s-plus-27';");
    expect(quick.mainTs).toContain("import * as tke from 'cdk8s-tke-loopback';");
    expect(quick.mainTs.trimEnd().endsWith('app.synth();')).toBe(true);
  });

  test('synthesizes with the validation plugin loaded from the installed package, then runs the CLI', () => {
    const config = parse(quick.cdk8sYaml);
    expect(config.app).toBe('npx ts-node main.ts');
    expect(config.validations).toEqual([{
      package: './node_modules/cdk8s-tke-loopback',
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      class: 'LoopbackValidation',
      properties: { failOn: 'error' },
    }]);
    expect(typeof (lib as any)[config.validations[0].class]).toBe('function');
    expect(quick.run).toEqual(expect.arrayContaining(['npx cdk8s synth', 'npx cdk8s-tke-loopback check dist']));
  });

  test("docs/checker.md's plugin snippet is the README's", () => {
    const checker = markedBlocks(fs.readFileSync(path.join(ROOT, 'docs', 'checker.md'), 'utf-8'), 'docs/checker.md');
    expect(parse(checker.get('validations')!)).toEqual({ validations: parse(quick.cdk8sYaml).validations });
  });
});

describe('markedBlocks', () => {
  test('joins the blocks of one name in order, and fails on a marker without a code block', () => {
    const md = ['<!-- consumer-test: a -->', '```ts', 'one', '```', 'text', '<!-- consumer-test: a -->', '```ts', 'two', '```'].join('\n');
    expect(markedBlocks(md).get('a')).toBe('one\n\ntwo\n');
    expect(() => markedBlocks('<!-- consumer-test: a -->\ntext\n', 'X.md'))
      .toThrow('X.md:1: marker "a" must be followed directly by a fenced code block, got "text"');
  });
});
