import { Query } from '@nestjs/cqrs';
import type { ListedObjectFields } from '../../../metadata/listing-tree.js';
import type { ListObjectsV2Page, ListObjectsV2Params } from './list-objects-v2.paginator.js';

export class ListObjectsV2Query extends Query<ListObjectsV2Page<ListedObjectFields>> {
  constructor(
    readonly bucket: string,
    readonly params: ListObjectsV2Params,
  ) {
    super();
  }
}
