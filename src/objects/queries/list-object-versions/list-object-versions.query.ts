import { Query } from '@nestjs/cqrs';
import type { VersionDocument } from '../../../metadata/metadata.documents.js';
import type { ListObjectVersionsPage, ListObjectVersionsParams } from './list-object-versions.paginator.js';

export class ListObjectVersionsQuery extends Query<ListObjectVersionsPage<VersionDocument>> {
  constructor(
    readonly bucket: string,
    readonly params: ListObjectVersionsParams,
  ) {
    super();
  }
}
