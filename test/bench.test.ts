import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const BENCH = path.join(__dirname, '..', 'bench');

describe('benchmarks', () => {
  const files = fs.readdirSync(BENCH).filter((f) => f.endsWith('.ts')).map((f) => path.join(BENCH, f));

  test('every benchmark script type-checks', () => {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(BENCH, 'tsconfig.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    });
    expect(config).toBeDefined();
    const program = ts.createProgram(files, { ...config!.options, noEmit: true });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${path.relative(BENCH, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  });

});
