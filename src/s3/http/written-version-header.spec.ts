import type { Response } from 'express';
import { setWrittenVersionHeader } from './written-version-header.js';

function sent(versionId: string | undefined): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  setWrittenVersionHeader({ setHeader: (name: string, value: unknown) => void (headers[name] = value) } as unknown as Response, versionId);
  return headers;
}

describe('setWrittenVersionHeader', () => {
  it('names a new version of a versioning-enabled bucket', () => expect(sent('3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrH')).toEqual({ 'x-amz-version-id': '3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrH' }));
  it('sends nothing for the null version a Suspended bucket writes, as S3', () => expect(sent('null')).toEqual({}));
  it('sends nothing in a bucket that never had versioning', () => expect(sent(undefined)).toEqual({}));
});
