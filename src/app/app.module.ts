import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ConfigureBucketCorsHandler } from '../buckets/commands/configure-bucket-cors/configure-bucket-cors.handler.js';
import { ConfigureBucketTaggingHandler } from '../buckets/commands/configure-bucket-tagging/configure-bucket-tagging.handler.js';
import { ConfigureBucketAccessControlsHandler } from '../buckets/commands/configure-bucket-access-controls/configure-bucket-access-controls.handler.js';
import { ConfigureBucketLifecycleHandler } from '../buckets/commands/configure-bucket-lifecycle/configure-bucket-lifecycle.handler.js';
import { ConfigureObjectLockHandler } from '../buckets/commands/configure-object-lock/configure-object-lock.handler.js';
import { CreateBucketHandler } from '../buckets/commands/create-bucket/create-bucket.handler.js';
import { DeleteBucketHandler } from '../buckets/commands/delete-bucket/delete-bucket.handler.js';
import { GetBucketHandler } from '../buckets/queries/get-bucket/get-bucket.handler.js';
import { ListBucketsHandler } from '../buckets/queries/list-buckets/list-buckets.handler.js';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { CredentialsRegistry } from '../iam/credentials.js';
import { ChangeIdentityHandler } from '../iam/commands/change-identity/change-identity.handler.js';
import { IamGuard } from '../s3/iam.guard.js';
import { GetBucketAccessHandler } from '../iam/queries/get-bucket-access/get-bucket-access.handler.js';
import { IamQueryApi } from '../s3/iam-query-api/iam.api.js';
import { DeleteObjectHandler } from '../objects/commands/delete-object/delete-object.handler.js';
import { DeleteObjectsHandler } from '../objects/commands/delete-objects/delete-objects.handler.js';
import { MULTIPART_UPLOAD_HANDLERS } from '../objects/commands/multipart-upload/multipart-upload.handlers.js';
import { OBJECT_TAGGING_HANDLERS } from '../objects/commands/object-tagging/object-tagging.handlers.js';
import { PutObjectAclHandler } from '../objects/commands/object-acl/put-object-acl.handler.js';
import { OBJECT_LOCK_HANDLERS } from '../objects/commands/object-lock/object-lock.handlers.js';
import { PutObjectHandler } from '../objects/commands/put-object/put-object.handler.js';
import { CopyObjectHandler } from '../objects/commands/copy-object/copy-object.handler.js';
import { ListUploadsHandler } from '../objects/queries/list-uploads/list-uploads.handler.js';
import { CompletableUploadHandler, GetUploadHandler } from '../objects/queries/get-upload/get-upload.handler.js';
import { GetObjectHandler } from '../objects/queries/get-object/get-object.handler.js';
import { ListObjectsV2Handler } from '../objects/queries/list-objects-v2/list-objects-v2.handler.js';
import { S3ExceptionFilter } from '../s3/errors/s3-exception.filter.js';
import { S3Controller } from '../s3/s3.controller.js';
import { blobJanitorProviders } from './blob-janitor.providers.js';
import { lifecycleProviders } from './lifecycle.providers.js';
import { identityProviders } from './identity.providers.js';
import { replayProviders } from './replay.providers.js';
import { infrastructureProviders } from './infrastructure.providers.js';
import { notificationProviders } from './notification.providers.js';
import { observabilityProviders } from './observability.providers.js';
import { ConfigureBucketVersioningHandler } from '../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import { ListObjectVersionsHandler } from '../objects/queries/list-object-versions/list-object-versions.handler.js';
import { GetObjectHistoryHandler } from '../objects/queries/get-object-history/get-object-history.handler.js';
import { GetBucketAsOfHandler } from '../buckets/queries/get-bucket-as-of/get-bucket-as-of.handler.js';
import { OPENED_RESOURCES, OpenedResources } from './opened-resources.js';
import { ShutdownService } from './shutdown.service.js';
import { ConnectionDrain } from './keep-alive.js';

export const COMMAND_HANDLERS = [
  CreateBucketHandler,
  DeleteBucketHandler,
  PutObjectHandler,
  CopyObjectHandler,
  DeleteObjectHandler,
  DeleteObjectsHandler,
  ...MULTIPART_UPLOAD_HANDLERS,
  ...OBJECT_TAGGING_HANDLERS,
  ...OBJECT_LOCK_HANDLERS,
  PutObjectAclHandler,
  ConfigureBucketCorsHandler,
  ConfigureBucketTaggingHandler,
  ConfigureBucketAccessControlsHandler,
  ConfigureBucketLifecycleHandler,
  ConfigureObjectLockHandler,
  ChangeIdentityHandler,
  ConfigureBucketVersioningHandler,
];
export const QUERY_HANDLERS = [
  ListBucketsHandler,
  GetBucketHandler,
  GetObjectHandler,
  ListObjectsV2Handler,
  ListObjectVersionsHandler,
  GetObjectHistoryHandler,
  GetBucketAsOfHandler,
  GetBucketAccessHandler,
  GetUploadHandler,
  CompletableUploadHandler,
  ListUploadsHandler,
];

@Module({})
export class AppModule {
  static forRoot(config: SedimentConfig, opened: OpenedResources = new OpenedResources()): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [S3Controller],
      providers: [
        { provide: SEDIMENT_CONFIG, useValue: config },
        { provide: OPENED_RESOURCES, useValue: opened },
        ...infrastructureProviders,
        ...identityProviders,
        ...notificationProviders,
        ...observabilityProviders,
        ...blobJanitorProviders,
        ...lifecycleProviders,
        ...replayProviders,
        CredentialsRegistry,
        IamQueryApi,
        ShutdownService,
        ConnectionDrain,
        ...COMMAND_HANDLERS,
        ...QUERY_HANDLERS,
        { provide: APP_GUARD, useClass: IamGuard },
        { provide: APP_FILTER, useClass: S3ExceptionFilter },
      ],
    };
  }
}
