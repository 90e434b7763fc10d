/** @type {import('jest').Config} */
module.exports = {
  displayName: 'runtime',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // The OTLP exporter loads node:http with import(), which Jest's VM refuses: compiled to require.
  transformIgnorePatterns: ['/node_modules/(?!@opentelemetry/otlp-exporter-base/)'],
};
