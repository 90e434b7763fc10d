/**
 * Test support for the schema engine and its callers (`@integrixs/schema-engine/testing`): the
 * shared schema corpus, crafted zip archives (bombs, overlaps), a TCP listener that proves
 * nothing was fetched. Never part of a build (the API's tsconfig excludes testing/).
 */
export * from './corpus';
export * from './tcp-listener';
export * from './zip-bombs';
