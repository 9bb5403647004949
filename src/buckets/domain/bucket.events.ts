/** Facts about buckets. Field names are part of the published event contract (docs/events.md). */
export type BucketCreated = {
  type: 'BucketCreated';
  data: {
    bucket: string;
    bucketId: string;
    /** Canonical id of the owner. */
    owner: string;
    ownerDisplayName: string;
    region: string;
    createdAt: string;
  };
};

export type BucketDeleted = {
  type: 'BucketDeleted';
  data: { bucket: string; bucketId: string; deletedAt: string };
};

export type BucketEvent = BucketCreated | BucketDeleted;
