import { buildApi } from './server-process';

/**
 * Builds the API once, before any suite starts its server. Suites running side by side in
 * several Jest workers must not each build: a build rewrites dist/ while another suite's server is
 * loading it (seen in CI as a server that exited 1 instead of its own exit code).
 */
export default function globalSetup(): void {
  buildApi();
}
