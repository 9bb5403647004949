import { IAM_OPERATIONS, isIamOperation } from './iam-operations.js';

describe('IAM_OPERATIONS', () => {
  it('lists each action once', () => {
    expect(new Set(IAM_OPERATIONS).size).toBe(IAM_OPERATIONS.length);
  });

  it.each(IAM_OPERATIONS)('%s is an IAM operation', (operation) => {
    expect(isIamOperation(operation)).toBe(true);
  });

  it.each(['', 'createuser', 'CreateRole', 'toString', '__proto__'])('%j is not', (action) => {
    expect(isIamOperation(action)).toBe(false);
  });
});
