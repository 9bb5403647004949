import { evolve, FoldedBucketStream, initialBucketStream } from '../../src/bucket-stream/bucket-stream.state.js';
import type { SedimentEvent } from '../../src/bucket-stream/sediment-event.js';
import { S3Error } from '../../src/errors/s3.error.js';
import type { S3ErrorCode } from '../../src/errors/s3-error-catalogue.js';

type Decide<C> = (command: C, state: FoldedBucketStream) => SedimentEvent[];

/** given(past events).when(command).then(new events) | .thenRejects(S3 error code) */
export function deciderSpec<C>(decide: Decide<C>) {
  return {
    given: (...past: SedimentEvent[]) => ({
      when: (command: C) => {
        const state = past.reduce(evolve, initialBucketStream());
        return {
          then: (...expected: SedimentEvent[]) => expect(decide(command, state)).toEqual(expected),
          thenRejects: (code: S3ErrorCode) => {
            let thrown: unknown;
            try {
              decide(command, state);
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(S3Error);
            expect((thrown as S3Error).code).toBe(code);
          },
        };
      },
    }),
  };
}
