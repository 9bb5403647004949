// The write path's guarantees at 64 concurrent clients in one bucket (ADR 0016: key locks and
// group commit), checked from outside: read-after-write for every writer, exactly one winner of
// each create-only race, DeleteBucket against a crowd of PUTs, and a log and listing that agree
// with what the clients were told. No timing is asserted: only outcomes.
import { createHash, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { outcomeOf } from '../support/concurrency-helpers.js';
import { bucketStream, readTopic } from '../support/kafka-topic-reader.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const TIMEOUT_MS = 180_000;
const CONCURRENCY = 64;

const md5 = (data: Buffer) => `"${createHash('md5').update(data).digest('hex')}"`;

describe('the write path at 64 concurrent clients (e2e, real Kafka and FerretDB)', () => {
  let sediment: SedimentUnderTest;
  let clients: S3Client[];

  beforeAll(async () => {
    sediment = await startSediment();
    clients = Array.from({ length: CONCURRENCY }, () => s3Client(sediment.url));
  }, TIMEOUT_MS);
  afterAll(async () => {
    for (const client of clients ?? []) client.destroy();
    await sediment?.stop();
  }, TIMEOUT_MS);

  async function listAll(bucket: string): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    let token: string | undefined;
    do {
      const page = await sediment.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const o of page.Contents ?? []) found.set(o.Key!, o.ETag!);
      token = page.NextContinuationToken;
    } while (token);
    return found;
  }

  it('64 writers in one bucket: each reads its own write back, each contested create-only key has one winner, and the log and listing agree', async () => {
    const bucket = `load-${randomBytes(4).toString('hex')}`;
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const ROUNDS = 6;
    const CONTESTED = 8;
    const answered = new Map<string, string>();
    const winners = new Map<string, number>();
    const failures: unknown[] = [];

    await Promise.all(
      clients.map(async (client, w) => {
        for (let round = 0; round < ROUNDS; round++) {
          // Own key, overwritten every round: the GET right after must return this round's bytes.
          const key = `own/${w}`;
          const body = randomBytes(1024 + ((w * 31 + round * 7) % 4096));
          const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
          const got = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
          if (put.ETag !== md5(body) || !got.equals(body)) failures.push({ w, round, put: put.ETag, expected: md5(body), readBack: md5(got) });
          answered.set(key, md5(body));
          // A create-only race on a key shared by 8 writers.
          const contested = `contested/${round}/${w % CONTESTED}`;
          const racer = randomBytes(512);
          const outcome = await outcomeOf(client.send(new PutObjectCommand({ Bucket: bucket, Key: contested, Body: racer, IfNoneMatch: '*' })));
          if (outcome.status === 200) {
            winners.set(contested, (winners.get(contested) ?? 0) + 1);
            answered.set(contested, md5(racer));
          } else if (outcome.status !== 412 || outcome.code !== 'PreconditionFailed') failures.push({ w, round, contested, outcome });
        }
      }),
    );

    expect(failures).toEqual([]);
    const contestedKeys = Array.from({ length: ROUNDS * CONTESTED }, (_, i) => `contested/${Math.floor(i / CONTESTED)}/${i % CONTESTED}`);
    expect(contestedKeys.map((k) => winners.get(k) ?? 0)).toEqual(contestedKeys.map(() => 1));
    // The listing shows exactly what the clients were told, with the ETags they got.
    expect(await listAll(bucket)).toEqual(answered);
    // The log holds one ObjectStored per contested key: the refused racers appended nothing.
    const stored = bucketStream(await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC), bucket).filter((r) => r.envelope.type === 'ObjectStored');
    const contestedStored = stored.filter((r) => (r.envelope.data as { key: string }).key.startsWith('contested/'));
    expect(contestedStored).toHaveLength(contestedKeys.length);
    expect(stored).toHaveLength(CONCURRENCY * ROUNDS + contestedKeys.length);
  }, TIMEOUT_MS);

  it('DeleteBucket among 63 PUTs to other keys: either it is refused as not empty, or every PUT after it finds no bucket and none is kept', async () => {
    for (let round = 0; round < 4; round++) {
      const bucket = `load-del-${round}-${randomBytes(3).toString('hex')}`;
      await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const deleteAt = (round * 20) % (CONCURRENCY - 1);
      const outcomes = await Promise.all(
        clients.map((client, w) =>
          w === deleteAt
            ? outcomeOf(client.send(new DeleteBucketCommand({ Bucket: bucket })))
            : outcomeOf(client.send(new PutObjectCommand({ Bucket: bucket, Key: `k/${w}`, Body: randomBytes(256) }))),
        ),
      );
      const del = outcomes[deleteAt]!;
      const puts = outcomes.filter((_, w) => w !== deleteAt);
      const stored = puts.filter((o) => o.status === 200).length;
      const refused = puts.filter((o) => o.status === 404 && o.code === 'NoSuchBucket').length;
      expect(stored + refused).toBe(puts.length);
      const stream = bucketStream(await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC), bucket).map((r) => r.envelope.type);
      if (del.status === 204) {
        // Only PUTs decided before the delete could have stored, and then the delete would have
        // been refused: so none did, and nothing follows BucketDeleted in the log.
        expect({ round, stored }).toEqual({ round, stored: 0 });
        expect(stream.slice(stream.indexOf('BucketDeleted') + 1)).toEqual([]);
      } else {
        expect({ round, status: del.status, code: del.code }).toEqual({ round, status: 409, code: 'BucketNotEmpty' });
        expect(stored).toBeGreaterThan(0);
        expect((await listAll(bucket)).size).toBe(stored);
      }
    }
  }, TIMEOUT_MS);
});
