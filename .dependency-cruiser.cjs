/**
 * Which way imports go between the folders of src/ (issue #13, ADRs 0017 and 0019). `npm run deps`
 * checks it, and `scripts/test.sh` (so CI) runs that first: an import against these rules fails.
 * `npm run deps` also runs scripts/folder-cycles.mjs, which fails on any cycle between folders,
 * including folders of one floor.
 *
 * Floors, from the ground up. A folder imports its own floor or lower ones, never a higher one.
 */
const FLOORS = [
  ['errors', 'integrity'], // S3's error vocabulary; checksums over bytes
  // The two topics' domains (events, the state they fold into, the deciders) and IAM's policy language.
  ['bucket-stream', 'identity-stream', 'policy'],
  ['config', 'event-log'], // boot-time configuration; the event contract and envelopes
  ['blobs', 'messaging', 'metadata'], // adapters: blob files, Kafka, the MongoDB read model
  ['quarantine', 'projections', 'write-model'], // the log's two sides: deciding and applying
  ['buckets', 'objects', 'iam', 'notifications', 'replay'], // features: commands, queries, identities and authorization, relays, rebuilds
  ['s3', 'observability'], // the edges: the S3 port (with its guard and the IAM Query API), the admin listener
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
