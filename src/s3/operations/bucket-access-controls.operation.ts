import { ConfigureBucketAccessControlsCommand } from '../../buckets/commands/configure-bucket-access-controls/configure-bucket-access-controls.command.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { GetBucketAccessQuery } from '../../iam/queries/get-bucket-access/get-bucket-access.query.js';
import { S3Error } from '../../errors/s3.error.js';
import { assertIntegrityHeader } from '../http/request-body.js';
import {
  OWNERSHIP_CONTROLS_DOCUMENT,
  PUBLIC_ACCESS_BLOCK_DOCUMENT,
  renderOwnershipControls,
  renderPublicAccessBlock,
} from '../xml/bucket-access-controls.xml.js';
import { bucketOf, sendEmpty, sendXml } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

// A bucket's public access block and ownership controls (bucket-stream/bucket-access-controls.ts).

/** GetPublicAccessBlock: the four settings, or 404 when the bucket has no public access block. */
export const getPublicAccessBlock = defineS3Operation({
  action: 's3:GetBucketPublicAccessBlock',
  readOnly: true,
  subresource: { name: 'publicAccessBlock', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const name = bucketOf(ctx);
  const bucket = await ctx.queries.execute(new GetBucketQuery(name));
  if (!bucket.publicAccessBlock) {
    throw new S3Error('NoSuchPublicAccessBlockConfiguration', { resource: `/${name}`, details: { BucketName: name } });
  }
  sendXml(ctx.res, 200, renderPublicAccessBlock(bucket.publicAccessBlock));
});

/** PutPublicAccessBlock: replaces the four settings (an absent one is false); S3 wants a Content-MD5 or checksum. */
export const putPublicAccessBlock = defineS3Operation({
  action: 's3:PutBucketPublicAccessBlock',
  readOnly: false,
  subresource: { name: 'publicAccessBlock', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  assertIntegrityHeader(ctx.req);
  const publicAccessBlock = await PUBLIC_ACCESS_BLOCK_DOCUMENT.read(ctx.req);
  await ctx.commands.execute(new ConfigureBucketAccessControlsCommand(bucketOf(ctx), { publicAccessBlock }, ctx.principal));
  sendEmpty(ctx.res, 200);
});

/** DeletePublicAccessBlock: 204, whether or not there was one. */
export const deletePublicAccessBlock = defineS3Operation({
  // AWS authorises it as s3:PutBucketPublicAccessBlock.
  action: 's3:PutBucketPublicAccessBlock',
  readOnly: false,
  subresource: { name: 'publicAccessBlock', on: 'bucket', method: 'DELETE' },
}, async (ctx) => {
  await ctx.commands.execute(new ConfigureBucketAccessControlsCommand(bucketOf(ctx), { publicAccessBlock: null }, ctx.principal));
  sendEmpty(ctx.res, 204);
});

/** GetBucketOwnershipControls: the rule, or 404 when the bucket has none. */
export const getBucketOwnershipControls = defineS3Operation({
  action: 's3:GetBucketOwnershipControls',
  readOnly: true,
  subresource: { name: 'ownershipControls', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const name = bucketOf(ctx);
  const bucket = await ctx.queries.execute(new GetBucketQuery(name));
  if (!bucket.objectOwnership) {
    throw new S3Error('OwnershipControlsNotFoundError', { resource: `/${name}`, details: { BucketName: name } });
  }
  sendXml(ctx.res, 200, renderOwnershipControls(bucket.objectOwnership));
});

/** PutBucketOwnershipControls: one rule naming the object ownership; S3 wants a Content-MD5 or checksum. */
export const putBucketOwnershipControls = defineS3Operation({
  action: 's3:PutBucketOwnershipControls',
  readOnly: false,
  subresource: { name: 'ownershipControls', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  assertIntegrityHeader(ctx.req);
  const objectOwnership = await OWNERSHIP_CONTROLS_DOCUMENT.read(ctx.req);
  if (objectOwnership === 'BucketOwnerEnforced') {
    // ACLs can only be turned off once the bucket's ACL grants nobody but its owner.
    const { acl } = await ctx.queries.execute(new GetBucketAccessQuery(bucketOf(ctx)));
    if (acl !== 'private') throw new S3Error('InvalidBucketAclWithObjectOwnership');
  }
  await ctx.commands.execute(new ConfigureBucketAccessControlsCommand(bucketOf(ctx), { objectOwnership }, ctx.principal));
  sendEmpty(ctx.res, 200);
});

/** DeleteBucketOwnershipControls: 204; the bucket then acts as ObjectWriter. */
export const deleteBucketOwnershipControls = defineS3Operation({
  // AWS authorises it as s3:PutBucketOwnershipControls.
  action: 's3:PutBucketOwnershipControls',
  readOnly: false,
  subresource: { name: 'ownershipControls', on: 'bucket', method: 'DELETE' },
}, async (ctx) => {
  await ctx.commands.execute(new ConfigureBucketAccessControlsCommand(bucketOf(ctx), { objectOwnership: null }, ctx.principal));
  sendEmpty(ctx.res, 204);
});
