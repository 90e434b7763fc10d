/**
 * The typed Integrixs API client, generated from the API's OpenAPI document (`npm run generate`):
 * `paths`/`components` describe every route and DTO, one alias per DTO (`PackageDto`, …), and
 * `createApiClient()` calls the API through openapi-fetch with those types. Never hand-copy a DTO.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';

import { type components, type paths } from './generated/schema';

// `paths`, `components`, `operations` and one alias per schema (`PackageDto`, `AssetDto`, …).
export type * from './generated/schema';

/** RFC 9457 problem details: the `application/problem+json` body of every error response. */
export type ProblemDetails = components['schemas']['ProblemDto'];

export type ApiClient = Client<paths>;
export type FetchImplementation = NonNullable<ClientOptions['fetch']>;

/**
 * A client for the API at `baseUrl` ('' = the page's own origin, as the console served at `/` uses
 * it): `client.GET('/api/packages', { params: { query: { q } } })` answers `{ data, error, response }`
 * with `error` the problem details of a 4xx/5xx.
 */
export function createApiClient(baseUrl = '', fetchImpl?: FetchImplementation): ApiClient {
  return createClient<paths>({ baseUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}

/** Whether an error body is RFC 9457 problem details as this API writes them. */
export function isProblemDetails(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const problem = value as Partial<Record<keyof ProblemDetails, unknown>>;
  return (
    typeof problem.status === 'number' &&
    typeof problem.title === 'string' &&
    typeof problem.detail === 'string'
  );
}
