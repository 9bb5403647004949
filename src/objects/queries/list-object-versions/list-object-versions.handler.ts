import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { VersionDocument } from '../../../metadata/metadata.documents.js';
import { FROM_NEWEST_VERSION, MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { isWellFormedVersionId } from '../../../bucket-stream/object-version.js';
import { listObjectVersions, type ListObjectVersionsPage } from './list-object-versions.paginator.js';
import { ListObjectVersionsQuery } from './list-object-versions.query.js';

@QueryHandler(ListObjectVersionsQuery)
export class ListObjectVersionsHandler implements IQueryHandler<ListObjectVersionsQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute({ bucket, params }: ListObjectVersionsQuery): Promise<ListObjectVersionsPage<VersionDocument>> {
    const { keyMarker, versionIdMarker } = params;
    if (versionIdMarker !== undefined) {
      if (keyMarker === undefined) {
        throw new S3Error('InvalidArgument', {
          message: 'A version-id marker cannot be specified without a key marker.',
          details: { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker },
        });
      }
      if (!isWellFormedVersionId(versionIdMarker)) throw invalidMarker(versionIdMarker);
    }
    if (!(await this.metadata.getBucket(bucket))) {
      throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
    }
    let markerSeq: number | undefined;
    if (versionIdMarker !== undefined) {
      // A version id says nothing of its place among the key's versions (random ids ordered by
      // seq, ADR 0010), and a removed version leaves no trace. So a marker version that is gone,
      // typically deleted with its page by a cleanup tool before it asked for the next one,
      // resumes at the newest version the key has left. For that tool it is exactly after the
      // marker (what it listed before the marker went with it); otherwise a version newer than
      // the marker may come again, but none older is skipped.
      const marker = await this.metadata.getVersion(bucket, keyMarker!, versionIdMarker);
      markerSeq = marker ? marker.seq : FROM_NEWEST_VERSION;
    }
    return listObjectVersions((q) => this.metadata.listVersions(bucket, q), params, markerSeq);
  }
}

function invalidMarker(value: string): S3Error {
  return new S3Error('InvalidArgument', {
    message: 'Invalid version id specified',
    details: { ArgumentName: 'version-id-marker', ArgumentValue: value },
  });
}
