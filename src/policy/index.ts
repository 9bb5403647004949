export * from './condition-operators.js';
export * from './policy-document.js';
export * from './policy.evaluator.js';
export * from './s3-resource-arn.js';
export * from './policy-status.js';
