import { ListBucketsQuery } from '../../buckets/queries/list-buckets/list-buckets.query.js';
import { renderListAllMyBuckets } from '../xml/s3-xml.renderers.js';
import { sendXml, type S3OperationHandler } from './s3-operation.context.js';

export const listBuckets: S3OperationHandler = async ({ res, queries, principal }) => {
  const buckets = await queries.execute(new ListBucketsQuery(principal.canonicalId));
  sendXml(
    res,
    200,
    renderListAllMyBuckets({
      owner: { id: principal.canonicalId, displayName: principal.displayName },
      buckets: buckets.map((b) => ({ name: b._id, creationDate: b.createdAt })),
    }),
  );
};
