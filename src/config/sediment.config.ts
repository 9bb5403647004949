import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Every setting Sediment reads, parsed and validated once at boot. Nothing else reads
 * process.env: modules receive this object through the SEDIMENT_CONFIG provider.
 */
export class SedimentConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  SEDIMENT_PORT = 9000;

  @IsString()
  @IsNotEmpty()
  SEDIMENT_HOST = '127.0.0.1';

  @IsString()
  @IsNotEmpty()
  SEDIMENT_REGION = 'us-east-1';

  /** Comma-separated host:port list. */
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @IsString()
  @IsNotEmpty()
  KAFKA_CLIENT_ID = 'sediment';

  /** The bucket event topic; every event of a bucket is keyed by the bucket name. */
  @Matches(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'SEDIMENT_BUCKET_TOPIC must be a valid Kafka topic name' })
  SEDIMENT_BUCKET_TOPIC = 'sediment.bucket-events.v1';

  /**
   * The identity topic: users, access keys, user and bucket policies, bucket ACLs. One
   * partition, so every identity decision sees one total order.
   */
  @Matches(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'SEDIMENT_IDENTITY_TOPIC must be a valid Kafka topic name' })
  SEDIMENT_IDENTITY_TOPIC = 'sediment.identity-events.v1';

  /**
   * The control topic: operators' decisions about the other two (quarantined records, ADR
   * 0011). One partition, read before them by the service and by every replay.
   */
  @Matches(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'SEDIMENT_CONTROL_TOPIC must be a valid Kafka topic name' })
  SEDIMENT_CONTROL_TOPIC = 'sediment.control-events.v1';

  /** Fixed at topic creation: adding partitions later would move buckets between partitions. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  SEDIMENT_TOPIC_PARTITIONS = 12;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SEDIMENT_TOPIC_REPLICATION_FACTOR = 1;

  /** Set on the topic when Sediment creates it; with acks=all, writes need this many replicas. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SEDIMENT_TOPIC_MIN_INSYNC_REPLICAS = 1;

  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGO_URL must be a mongodb:// URL' })
  MONGO_URL = 'mongodb://127.0.0.1:27017';

  @Matches(/^[a-zA-Z0-9_-]{1,60}$/, { message: 'MONGO_DATABASE must be a plain database name' })
  MONGO_DATABASE = 'sediment';

  /**
   * Where payloads live (ADR 0028): `filesystem`, the directory SEDIMENT_BLOB_DIR (local, or a
   * shared POSIX mount that keeps fsync and atomic rename, for several nodes), or `gridfs`,
   * MongoDB GridFS in SEDIMENT_GRIDFS_DATABASE on MONGO_URL, which every node reaches.
   */
  @IsIn(['filesystem', 'gridfs'], { message: 'SEDIMENT_BLOB_STORE must be filesystem or gridfs' })
  SEDIMENT_BLOB_STORE: 'filesystem' | 'gridfs' = 'filesystem';

  @IsString()
  @IsNotEmpty()
  SEDIMENT_BLOB_DIR = '.data/blobs';

  /**
   * The database of the GridFS blob store: not MONGO_DATABASE, so a replay's new read model
   * database, a dropped old one or a point-in-time snapshot never moves or loses a payload.
   */
  @Matches(/^[a-zA-Z0-9_-]{1,60}$/, { message: 'SEDIMENT_GRIDFS_DATABASE must be a plain database name' })
  SEDIMENT_GRIDFS_DATABASE = 'sediment_blobs';

  @Matches(/^[A-Z0-9]{16,128}$/, {
    message: 'SEDIMENT_ROOT_ACCESS_KEY_ID must be 16-128 upper-case letters or digits',
  })
  SEDIMENT_ROOT_ACCESS_KEY_ID = '';

  @IsString()
  @MinLength(20, { message: 'SEDIMENT_ROOT_SECRET_ACCESS_KEY must be at least 20 characters' })
  SEDIMENT_ROOT_SECRET_ACCESS_KEY = '';

  /**
   * 32 random bytes, base64 (44 chars) or hex (64 chars): encrypts every access key secret
   * (AES-256-GCM) before it reaches Kafka or MongoDB. Losing it makes user keys unusable;
   * changing it is refused at boot while secrets sealed under the old key exist.
   */
  @Matches(/^(?:[A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/, {
    message: 'SEDIMENT_MASTER_KEY must be 32 bytes as base64 (44 chars) or hex (64 chars)',
  })
  SEDIMENT_MASTER_KEY = '';

  /** How long a mutating request waits for its event to reach the read model. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  SEDIMENT_APPLY_TIMEOUT_MS = 15000;

  /**
   * How long the writer lease outlives its holder: a restarted process waits at most this long
   * for the lease of a crashed predecessor; a second live process is refused after it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  SEDIMENT_WRITER_LEASE_MS = 15000;

  /**
   * How long a blue/green read-model switch may hold writes (while the new model catches up and
   * both digests are compared) before it gives up and leaves the live model in place.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  SEDIMENT_SWITCH_TIMEOUT_MS = 120000;

  /**
   * Serve MONGO_DATABASE as a read-only snapshot (e.g. a point-in-time rebuild made by
   * `sediment replay --until`): no consuming, no writer lease, every mutating request refused.
   */
  @Transform(({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value))
  @IsBoolean()
  SEDIMENT_READ_ONLY = false;

  /**
   * Accept AWS Signature Version 2 (`Authorization: AWS …` and URLs presigned with
   * AWSAccessKeyId/Expires/Signature), which older SDKs still use to presign. `false` answers
   * such requests as S3's SigV4-only regions do.
   */
  @Transform(({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value))
  @IsBoolean()
  SEDIMENT_SIGV2 = true;

  @IsIn(['debug', 'log', 'warn', 'error'])
  SEDIMENT_LOG_LEVEL: 'debug' | 'log' | 'warn' | 'error' = 'log';

  /**
   * How long a payload that an overwrite or a delete released stays on disk before the blob
   * janitor deletes it: the window in which a point-in-time recovery of the metadata can still
   * serve those objects. 0 deletes at the next sweep.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SEDIMENT_BLOB_GRACE_HOURS = 168;

  /** How often the blob janitor sweeps released payloads (short in tests). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  SEDIMENT_BLOB_JANITOR_INTERVAL_MS = 300_000;

  /**
   * How long a lifecycle "day" is, in seconds: Days in lifecycle rules count these, and expiry
   * dates round up to a multiple of it since the epoch (midnight UTC for a real day). Only tests
   * shorten it, to see an expiry in seconds.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  SEDIMENT_LIFECYCLE_DAY_SECONDS = 86_400;

  /** How often the lifecycle worker scans the buckets with a lifecycle configuration (short in tests). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  SEDIMENT_LIFECYCLE_INTERVAL_MS = 3_600_000;

  /**
   * The admin listener (`GET /metrics`, `GET /health`): a port of its own, so no bucket name can
   * shadow it and it need not be exposed where S3 is. 0 picks a free port.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  SEDIMENT_ADMIN_PORT = 9464;

  @IsString()
  @IsNotEmpty()
  SEDIMENT_ADMIN_HOST = '127.0.0.1';

  /**
   * The domain for virtual-hosted-style requests: `Host: <bucket>.<SEDIMENT_DOMAIN>` addresses
   * that bucket and the path is the key. Empty: path-style only. Requests to any other host
   * (the domain itself included) are path-style either way.
   */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @Matches(/^$|^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, {
    message: 'SEDIMENT_DOMAIN must be a host name such as s3.example.local (no scheme, port or path)',
  })
  SEDIMENT_DOMAIN = '';

  /**
   * How long a request body may wait for its next byte from the client before the request is
   * answered 400 RequestTimeout and its connection closed (S3 allows about 20 s). Time in which
   * Sediment itself holds the body back (a slow disk) does not count. At most 30 minutes: a temp
   * file untouched for an hour is taken for a crashed write's (ADR 0028).
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(1_800_000)
  SEDIMENT_BODY_IDLE_TIMEOUT_MS = 20_000;
}

export const SEDIMENT_CONFIG = Symbol('SEDIMENT_CONFIG');

export class ConfigError extends Error {}

/** Parses and validates the environment; throws a ConfigError naming every bad setting. */
export function loadConfig(env: Record<string, string | undefined>): SedimentConfig {
  const known = Object.keys(new SedimentConfig());
  const source = Object.fromEntries(
    known.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]),
  );
  const config = plainToInstance(SedimentConfig, source, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
