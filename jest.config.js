// Three tiers, named by file suffix: *.spec.ts (unit, next to the code),
// *.int-spec.ts (one real dependency: Kafka or FerretDB), *.e2e-spec.ts (real S3 clients
// against the running service), *.fuzz-spec.ts (fuzz targets, FUZZ_SECONDS each). int and e2e need `scripts/infra.sh up` first.
const tsJest = [
  'ts-jest',
  { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false },
];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};
// int and e2e tests get a timeout only a hang exhausts (see the setup file).
const realParts = { setupFilesAfterEnv: ['<rootDir>/test/support/real-parts.setup.ts'] };
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    { ...common, ...realParts, displayName: 'int', testMatch: ['<rootDir>/test/int/**/*.int-spec.ts'] },
    { ...common, ...realParts, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    // Generative fuzzing of the network-facing parsers and of the running service (test/fuzz/).
    { ...common, displayName: 'fuzz', testMatch: ['<rootDir>/test/fuzz/**/*.fuzz-spec.ts'] },
  ],
};
