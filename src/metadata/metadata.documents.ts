import type { UserMetadataEntry } from '../objects/domain/object.events.js';

/**
 * Documents of the metadata read model. Each carries the log position of the last event applied
 * to it (`partition`, `offset`): an event at or below it is a no-op, which makes redelivery safe.
 */
export interface PositionStamp {
  partition: number;
  offset: number;
}

/** `buckets` collection; _id is the bucket name (globally unique). */
export interface BucketDocument extends PositionStamp {
  _id: string;
  bucketId: string;
  owner: string;
  ownerDisplayName: string;
  region: string;
  createdAt: Date;
}

/** `objects` collection; _id is `<bucket>/<key>` (bucket names hold no '/'). */
export interface ObjectDocument extends PositionStamp {
  _id: string;
  bucket: string;
  bucketId: string;
  key: string;
  objectId: string;
  size: number;
  etag: string;
  contentType: string;
  /** An array, not an object: header names may hold '.' or '$', which field names may not. */
  userMetadata: UserMetadataEntry[];
  owner: string;
  ownerDisplayName: string;
  lastModified: Date;
}

/** `projection_checkpoints`: the last offset a projection applied, per topic partition. */
export interface CheckpointDocument {
  _id: string;
  projection: string;
  topic: string;
  partition: number;
  offset: number;
}

export const objectDocumentId = (bucket: string, key: string): string => `${bucket}/${key}`;

export const COLLECTIONS = {
  buckets: 'buckets',
  objects: 'objects',
  checkpoints: 'projection_checkpoints',
} as const;
