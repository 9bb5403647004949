/**
 * Which way imports go between the folders of src/ (issue #13, ADR 0017). `npm run deps` checks
 * it, and `scripts/test.sh` (so CI) runs that first: a new import against these rules fails.
 * The imports that broke them when the rules came are listed in
 * .dependency-cruiser-known-violations.json and tolerated until removed; `npm run deps:baseline`
 * rewrites that list, and should only ever be run to shrink it.
 *
 * Floors, from the ground up. A folder imports its own floor or lower ones, never a higher one.
 */
const FLOORS = [
  ['errors', 'integrity'], // S3's error vocabulary; checksums over bytes
  ['bucket-stream'], // the bucket topic's domain: its events, the state they fold into, the deciders
  ['config', 'event-log'], // boot-time configuration; the event contract and envelopes
  ['blobs', 'messaging', 'metadata'], // adapters: blob files, Kafka, the MongoDB read model
  ['quarantine', 'projections', 'write-model'], // the log's two sides: deciding and applying
  ['buckets', 'objects', 'notifications', 'replay'], // features: commands, queries, relays, rebuilds
  ['iam', 's3', 'observability'], // the edges: authentication, the S3 protocol, the admin listener
  ['app', 'cli'], // entry points
];
const folders = (list) => `^src/(${list.join('|')})/`;

module.exports = {
  forbidden: [
    ...FLOORS.slice(0, -1).map((floor, i) => ({
      name: `floor-${i}-looks-up`,
      comment: `${floor.join(', ')} may not import a folder on a higher floor (.dependency-cruiser.cjs)`,
      severity: 'error',
      from: { path: folders(floor) },
      to: { path: folders(FLOORS.slice(i + 1).flat()) },
    })),
    {
      name: 'no-circular',
      comment: 'modules that import each other cannot be read or tested one without the other',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'unknown-folder',
      comment: 'every folder of src/ sits on a floor of .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: folders(FLOORS.flat()) },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
