import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET } from './sediment-under-test.js';
import type { Credentials } from './raw-s3-request.js';

export const ROOT: Credentials = { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET };

/** The IAM Query API client of @aws-sdk/client-iam, pointed at Sediment. */
export function iamClient(endpoint: string, credentials: Credentials = ROOT): IAMClient {
  return new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** A policy document as IAM wants it: JSON text. */
export function policy(...statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * Creates an IAM user (as root), attaches the given inline policies and returns a fresh access
 * key of it: the credentials a test then uses as that user.
 */
export async function createUserWithKey(
  iam: IAMClient,
  userName: string,
  policies: Record<string, string> = {},
): Promise<Credentials> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  for (const [PolicyName, PolicyDocument] of Object.entries(policies)) {
    await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName, PolicyDocument }));
  }
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}
