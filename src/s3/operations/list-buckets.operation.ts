import { ListBucketsQuery } from '../../buckets/queries/list-buckets/list-buckets.query.js';
import { renderListAllMyBuckets } from '../xml/s3-xml.renderers.js';
import { sendXml } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

export const listBuckets = defineS3Operation({
  action: 's3:ListAllMyBuckets',
  readOnly: true,
}, async ({ res, queries, principal }) => {
  const buckets = await queries.execute(new ListBucketsQuery(principal.canonicalId));
  sendXml(
    res,
    200,
    renderListAllMyBuckets({
      owner: { id: principal.canonicalId, displayName: principal.displayName },
      buckets: buckets.map((b) => ({ name: b._id, creationDate: b.createdAt })),
    }),
  );
});
