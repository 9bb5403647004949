import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { UploadDocument } from '../../../metadata/metadata.documents.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../s3/errors/s3.error.js';
import { ListUploadsQuery, type ListUploadsPage } from './list-uploads.query.js';

const utf8Compare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

@QueryHandler(ListUploadsQuery)
export class ListUploadsHandler implements IQueryHandler<ListUploadsQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute(q: ListUploadsQuery): Promise<ListUploadsPage> {
    if (!(await this.metadata.getBucket(q.bucket))) {
      throw new S3Error('NoSuchBucket', { resource: `/${q.bucket}`, details: { BucketName: q.bucket } });
    }
    const all = (await this.metadata.listUploads(q.bucket))
      .filter((u) => u.key.startsWith(q.prefix))
      .sort((a, b) => utf8Compare(a.key, b.key) || a.initiatedAt.getTime() - b.initiatedAt.getTime() || utf8Compare(a._id, b._id));
    const after = all.filter((u) => isAfterMarker(u, all, q.keyMarker, q.uploadIdMarker));
    return { uploads: after.slice(0, q.maxUploads), isTruncated: after.length > q.maxUploads };
  }
}

/**
 * S3: without upload-id-marker, uploads of keys after key-marker; with it, also the uploads of
 * key-marker itself that come after that upload.
 */
function isAfterMarker(u: UploadDocument, sorted: UploadDocument[], keyMarker: string, uploadIdMarker: string): boolean {
  if (keyMarker === '') return true;
  const order = utf8Compare(u.key, keyMarker);
  if (order !== 0 || uploadIdMarker === '') return order > 0;
  const marker = sorted.findIndex((m) => m._id === uploadIdMarker);
  return marker !== -1 && sorted.indexOf(u) > marker;
}
