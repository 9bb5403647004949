/** Facts about objects. Field names are part of the published event contract (docs/events.md). */
export interface UserMetadataEntry {
  /** Lower-cased name without the x-amz-meta- prefix. */
  name: string;
  value: string;
}

export type ObjectStored = {
  type: 'ObjectStored';
  data: {
    bucket: string;
    bucketId: string;
    key: string;
    /** The blob store's UUID for the payload. */
    objectId: string;
    size: number;
    /** Quoted hex MD5, exactly as S3 returns it in the ETag header. */
    etag: string;
    contentType: string;
    userMetadata: UserMetadataEntry[];
    owner: string;
    ownerDisplayName: string;
    storedAt: string;
    /** Set when this write replaced an object; its blob is no longer referenced by the key. */
    replacedObjectId?: string;
  };
};

export type ObjectDeleted = {
  type: 'ObjectDeleted';
  data: { bucket: string; bucketId: string; key: string; objectId: string; deletedAt: string };
};

export type ObjectEvent = ObjectStored | ObjectDeleted;
