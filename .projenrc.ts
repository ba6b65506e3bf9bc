import { cdk8s, javascript, JsonFile, ReleasableCommits } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

/** Where `cdk8s import` writes the TkeServiceConfig L1 (committed; see the `import-crd` task). */
const CRD_FILE = 'crds/tkeserviceconfig.yaml';
const IMPORT_DIR = 'src/tke/imports';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-tke-loopback',
  packageName: 'cdk8s-tke-loopback',
  description:
    'cdk8s constructs and a checker that make Tencent Kubernetes Engine (TKE) CLB loopback hard to get wrong',
  keywords: ['cdk8s', 'kubernetes', 'tke', 'tencent', 'clb', 'loopback', 'coredns', 'ingress'],
  author: 'cdk8s-tke-loopback maintainers',
  authorAddress: 'maintainers@users.noreply.cdk8s-tke-loopback.example',
  repositoryUrl: 'https://github.com/cdk8s-tke-loopback/cdk8s-tke-loopback.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '18.0.0',
  // jsii 6 needs Node >= 20.16 to build; consumers may still run the library on Node 18.
  workflowNodeVersion: '20.x',

  // cdk8s 2.x and constructs 10.x: without these projen makes a cdk8s v1 project.
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',

  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  devDeps: [
    'kubernetes-models@^4.5',
    'ajv@^8',
    'fast-check@^4',
    'cdk8s-cli@^2',
    // test/plus-compat.test.ts builds one app with cdk8s-plus-27 and -33 objects and compares the output.
    'cdk8s-plus-33@^2.5.57',
  ],
  // The checker's CLI and cdk8s-cli plugin read YAML with source positions at run time. `yaml` is not a
  // jsii package, so jsii requires it to be bundled into our tarball (it has no dependencies of its own).
  bundledDeps: ['yaml@^2', 're2js@^2'],
  // `npx cdk8s-tke-loopback check ...`: a committed, executable shim that loads lib/checks/cli.js.
  bin: { 'cdk8s-tke-loopback': 'bin/cdk8s-tke-loopback' },

  // Release to npm from GitHub: a maintainer only needs an NPM_TOKEN secret.
  release: true,
  releaseToNpm: true,
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  // projen's default, commit-and-tag-version 13, and 16 of its dependencies need Node 22 ("engines"), which
  // made `npm ci` print 17 EBADENGINE warnings on the Node 20 that builds and releases. Version 12 runs on
  // Node 18 and later and takes the same options.
  bumpPackage: 'commit-and-tag-version@^12',
  buildWorkflow: true,

  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
      // The example apps are synthesized once per run, in-process, and shared by the tests that read them.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  },

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'scripts'],
    ignorePatterns: [`${IMPORT_DIR}/*.ts`, '*.js', '*.d.ts', 'node_modules/', '*.generated.ts', 'coverage'],
  },

  tsconfigDev: {
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
    compilerOptions: {},
  },

  npmignoreEnabled: true,
  gitignore: ['/bench/results.json', '/.tmp/'],
});

// jsii warns loudly on Node 20; the machines here run Node 20.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// Examples, benchmarks, scripts and the CRD source are not published.
project.npmignore?.exclude('/examples/', '/bench/', '/scripts/', '/crds/', '/.ci/', '/RULES.md.tmp');

// ---------------------------------------------------------------------------
// TkeServiceConfig L1: generated from our own CRD with `cdk8s import` (offline).
project.addTask('import-crd', {
  description: `Regenerate the TkeServiceConfig L1 in ${IMPORT_DIR} from ${CRD_FILE}`,
  steps: [
    { exec: `cdk8s import ${CRD_FILE} --language typescript --output ${IMPORT_DIR} --no-check-upgrade` },
  ],
});

// eslint's project service looks for the nearest tsconfig.json: point examples/, bench/ and scripts/ at
// the test config, which includes them (it is not the jsii one, so they are never published).
for (const dir of ['examples', 'bench', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json' },
    marker: false,
  });
}

// ---------------------------------------------------------------------------
// Type-check everything that is not compiled by jsii (tests, examples, bench, scripts).
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, examples, benchmarks and scripts',
  steps: [{ exec: 'tsc --noEmit -p test/tsconfig.json' }],
});
project.testTask.prependSpawn(typecheck);

// ---------------------------------------------------------------------------
// Examples: every examples/<name>/main.ts is a cdk8s app; synthesize each into dist/examples/<name>/.
project.addTask('examples', {
  description: 'Synthesize every app in examples/ into dist/examples/<name>/ and list the files written',
  steps: [{ exec: 'ts-node --transpile-only scripts/synth-examples.ts' }],
});

// The examples' synthesized output, committed: test/examples-golden.test.ts fails when a change alters any
// manifest. Regenerate on purpose with `npx projen examples-golden` and review the diff.
project.addTask('examples-golden', {
  description: 'Rewrite test/fixtures/examples-golden/ from the examples (review the diff before committing)',
  steps: [{ exec: 'ts-node --transpile-only scripts/synth-examples.ts --outdir test/fixtures/examples-golden' }],
});

// ---------------------------------------------------------------------------
// Benchmarks: ratios against baselines measured in the same run (not part of the build or CI).
project.addTask('bench', {
  description: 'Run every bench/*.bench.ts and write bench/results.json',
  steps: [{ spawn: 'compile' }, { exec: 'ts-node --transpile-only bench/run.ts', receiveArgs: true }],
});

// ---------------------------------------------------------------------------
// The consumer test: the packed tarball in fresh projects with cdk8s-plus-27, -30 and -33, running the
// README's quick start (tsc --strict, cdk8s synth with the validation plugin, the CLI). It needs the npm
// registry and runs at the end of `package`, the last step of `npx projen build` (projen locks `build`).
const consumerTest = project.addTask('consumer-test', {
  description: "Install the packed tarball into fresh projects (cdk8s-plus-27, -30, -33) and run the README's quick start",
  steps: [{ exec: 'ts-node --transpile-only scripts/consumer-test.ts', receiveArgs: true }],
});
project.packageTask.spawn(consumerTest);

// ---------------------------------------------------------------------------
// RULES.md is generated from the checker's rule registry; test/checks/rules-md.test.ts fails when it is stale.
project.addTask('rules-md', {
  description: 'Regenerate RULES.md from the loopback checker rule registry',
  steps: [{ exec: 'ts-node --transpile-only scripts/rules-md.ts' }],
});

// ---------------------------------------------------------------------------
// In CI, the build must not change committed files: a stale API.md, a stale imported L1, or code that
// `eslint --fix` rewrote all fail here. package.json is left out because a release build bumps it.
const checkClean = project.addTask('check-generated-files-current', {
  description: 'In CI: fail when the build changed a committed file (run npx projen build locally and commit the result)',
  condition: 'node -e "process.exit(process.env.CI ? 0 : 1)"',
  steps: [{ exec: 'git diff --ignore-space-at-eol --exit-code -- . ":(exclude)package.json"' }],
});
project.testTask.spawn(checkClean);

project.synth();
