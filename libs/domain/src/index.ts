export * from './lib/asset-type';
export * from './lib/asset-status';
export * from './lib/schema-type';
export * from './lib/list-query';
export * from './lib/problem';
export * from './lib/permissions';
export * from './lib/username';
export * from './lib/json-nesting';
