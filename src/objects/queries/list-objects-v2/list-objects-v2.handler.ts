import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isFolder, type ListedObjectFields } from '../../../metadata/listing-tree.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { listObjectsV2, type ListObjectsV2Page } from './list-objects-v2.paginator.js';
import { ListObjectsV2Query } from './list-objects-v2.query.js';

/** The delimiter the read model keeps a tree for (ADR 0015); any other one seeks past each common prefix. */
const TREE_DELIMITER = '/';

@QueryHandler(ListObjectsV2Query)
export class ListObjectsV2Handler implements IQueryHandler<ListObjectsV2Query> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute({ bucket, params }: ListObjectsV2Query): Promise<ListObjectsV2Page<ListedObjectFields>> {
    if (!(await this.metadata.getBucket(bucket))) {
      throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
    }
    if (params.delimiter !== TREE_DELIMITER) return listObjectsV2((q) => this.metadata.listObjects(bucket, q), params);
    // A folder entry always lands in a common prefix (it ends with the delimiter), never in Contents.
    const page = await listObjectsV2((q) => this.metadata.listLevel(bucket, q), params);
    return { ...page, contents: page.contents.map((entry) => (isFolder(entry) ? folderInContents(entry.key) : entry)) };
  }
}

function folderInContents(key: string): never {
  throw new Error(`the listing put the folder ${JSON.stringify(key)} among its keys`);
}
