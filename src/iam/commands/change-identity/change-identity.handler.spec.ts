import { ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { inMemoryIdentityStream } from '../../../../test/support/in-memory-identity-stream.js';
import { ChangeIdentityCommand } from './change-identity.command.js';
import { ChangeIdentityHandler } from './change-identity.handler.js';

const createUser = (userName: string) => new ChangeIdentityCommand({ type: 'CreateUser', data: { accountId: '000000000000', userName, path: '/', userId: `AIDA${userName.toUpperCase()}` } }, ALICE);

describe('ChangeIdentityHandler', () => {
  it('appends the decided identity event, answers its envelope, and the directory has applied it', async () => {
    const { writer, directory, eventTypes } = await inMemoryIdentityStream();
    const handler = new ChangeIdentityHandler(writer);
    const [envelope] = await handler.execute(createUser('alice'));
    expect(envelope).toMatchObject({ type: 'UserCreated', data: { userName: 'alice', arn: 'arn:aws:iam::000000000000:user/alice' }, principal: { arn: ALICE.arn } });
    expect(directory.user('000000000000', 'alice')).toMatchObject({ userName: 'alice' });
    expect(eventTypes()).toEqual(['UserCreated']);
  });

  it('refuses a user name already taken, appending nothing more', async () => {
    const { writer, eventTypes } = await inMemoryIdentityStream();
    const handler = new ChangeIdentityHandler(writer);
    await handler.execute(createUser('alice'));
    await expect(handler.execute(createUser('alice'))).rejects.toMatchObject({ code: 'EntityAlreadyExists' });
    expect(eventTypes()).toEqual(['UserCreated']);
  });
});
