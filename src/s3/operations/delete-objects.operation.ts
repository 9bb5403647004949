import { setImmediate as nextTurn } from 'node:timers/promises';
import { DeleteObjectsCommand } from '../../objects/commands/delete-objects/delete-objects.command.js';
import type { DeletionTarget } from '../../bucket-stream/object.decider.js';
import { isWellFormedVersionId } from '../../bucket-stream/object-version.js';
import { assertIntegrityHeader } from '../http/request-body.js';
import { MAX_KEY_BYTES } from '../routing/object-key.js';
import {
  DELETE_OBJECTS_DOCUMENT,
  deleteResultDocument,
  type DeleteResultEntry,
} from '../xml/s3-xml.renderers.js';
import { bucketOf, sendXmlDocument } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';
import { bypassGovernanceOf } from './object-lock.operation.js';

const AUTHORIZATIONS_PER_TURN = 100;

/**
 * DeleteObjects (POST /bucket?delete). The body is read through the XML body reader, so the
 * Content-MD5 / x-amz-checksum-* the request must carry is verified before anything is decided.
 * Keys that cannot be deleted (too long, a VersionId) are reported per key; the others are
 * decided in one command, and every one of them is reported deleted, existing or not, as S3 does.
 */
export const deleteObjects = defineS3Operation({
  action: 'per key',
  readOnly: false,
}, async (ctx) => {
  const bucket = bucketOf(ctx);
  assertIntegrityHeader(ctx.req);
  const { quiet, objects } = await DELETE_OBJECTS_DOCUMENT.read(ctx.req);

  const entries: DeleteResultEntry[] = [];
  const targets: DeletionTarget[] = [];
  /** Index in `entries` of each target's report, filled in once decided. */
  const reportAt: number[] = [];
  const seen = new Set<string>();
  for (const [i, { key, versionId }] of objects.entries()) {
    // Each key's authorization resolves as a microtask: without a real yield, 1,000 of them would
    // run in one turn of the event loop, ahead of every other request.
    if (i > 0 && i % AUTHORIZATIONS_PER_TURN === 0) await nextTurn();
    // A key (with the same VersionId) named twice is deleted and reported once.
    const identity = JSON.stringify([key, versionId ?? null]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
      entries.push({ kind: 'error', key, ...versionOf(versionId), code: 'KeyTooLongError', message: 'Your key is too long' });
    } else if (versionId !== undefined && !isWellFormedVersionId(versionId)) {
      entries.push({ kind: 'error', key, versionId, code: 'NoSuchVersion', message: 'The specified version does not exist.' });
    } else if (!(await ctx.req.sediment.authorize!(versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion', bucket, key))) {
      // Authorised per key, as S3 does: a denied key is reported, the others still go.
      entries.push({ kind: 'error', key, ...versionOf(versionId), code: 'AccessDenied', message: 'Access Denied' });
    } else {
      const bypassGovernance = versionId !== undefined && (await bypassGovernanceOf(ctx, key));
      targets.push({ key, ...versionOf(versionId), ...(bypassGovernance ? { bypassGovernance } : {}) });
      reportAt.push(entries.length);
      entries.push({ kind: 'deleted', key, ...versionOf(versionId) });
    }
  }

  // Also run with no valid key: a missing bucket is still NoSuchBucket.
  const outcomes = await ctx.commands.execute(new DeleteObjectsCommand(bucket, targets, ctx.principal));
  outcomes.forEach((outcome, i) => {
    if (outcome.refused) {
      // Object Lock protects it: reported per key, as S3 does, while the others go.
      const { key, versionId } = entries[reportAt[i]!]!;
      entries[reportAt[i]!] = { kind: 'error', key, ...versionOf(versionId), code: outcome.refused.code, message: outcome.refused.message };
      return;
    }
    if (!outcome.deleteMarker) return;
    const entry = entries[reportAt[i]!] as Extract<DeleteResultEntry, { kind: 'deleted' }>;
    // A marker created or removed: S3 names it in DeleteMarkerVersionId.
    entries[reportAt[i]!] = { ...entry, deleteMarker: true, deleteMarkerVersionId: outcome.versionId! };
  });
  await sendXmlDocument(ctx.res, 200, deleteResultDocument(quiet ? entries.filter((e) => e.kind === 'error') : entries));
});

function versionOf(versionId: string | undefined): { versionId?: string } {
  return versionId === undefined ? {} : { versionId };
}
