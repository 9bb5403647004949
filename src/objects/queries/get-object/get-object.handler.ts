import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { currentDocumentOf, type ObjectDocument } from '../../../metadata/metadata.documents.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { isWellFormedVersionId } from '../../../bucket-stream/object-version.js';
import { GetObjectQuery } from './get-object.query.js';

@QueryHandler(GetObjectQuery)
export class GetObjectHandler implements IQueryHandler<GetObjectQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute({ bucket, key, versionId }: GetObjectQuery): Promise<ObjectDocument> {
    if (versionId !== undefined) return this.version(bucket, key, versionId);
    const object = await this.metadata.getObject(bucket, key);
    if (object) return object;
    const bucketDoc = await this.metadata.getBucket(bucket);
    if (!bucketDoc) throw noSuchBucket(bucket);
    // A key whose newest version is a delete marker says so, as S3 does.
    const markerHeaders: Record<string, string> = {};
    if (bucketDoc.versioning !== undefined) {
      const newest = (await this.metadata.getVersionsOf(bucket, [key])).sort((a, b) => b.seq - a.seq)[0];
      if (newest?.isDeleteMarker) Object.assign(markerHeaders, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': newest.versionId });
    }
    throw new S3Error('NoSuchKey', { resource: `/${bucket}/${key}`, details: { Key: key }, headers: markerHeaders });
  }

  private async version(bucket: string, key: string, versionId: string): Promise<ObjectDocument> {
    if (!isWellFormedVersionId(versionId)) {
      throw new S3Error('InvalidArgument', { message: 'Invalid version id specified', details: { ArgumentName: 'versionId', ArgumentValue: versionId } });
    }
    const version = await this.metadata.getVersion(bucket, key, versionId);
    if (version === null) {
      if (!(await this.metadata.getBucket(bucket))) throw noSuchBucket(bucket);
      throw new S3Error('NoSuchVersion', { resource: `/${bucket}/${key}`, details: { Key: key, VersionId: versionId } });
    }
    if (version.isDeleteMarker) {
      // S3 answers a GET or HEAD of a delete marker with 405 and says what it is.
      throw new S3Error('MethodNotAllowed', {
        resource: `/${bucket}/${key}`,
        details: { Method: 'GET', ResourceType: 'DeleteMarker' },
        headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId, 'Last-Modified': version.lastModified.toUTCString(), Allow: 'DELETE' },
      });
    }
    return { _id: version._id, ...currentDocumentOf(version, version) };
  }
}

function noSuchBucket(bucket: string): S3Error {
  return new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
}
