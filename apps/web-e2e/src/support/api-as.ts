import { createApiClient, type ApiClient } from '@integrixs/api-client';

/** The generated client for the API at `baseUrl`, sending `token` as the bearer (as a CI job would). */
export function apiAs(baseUrl: string, token: string): ApiClient {
  const client = createApiClient(baseUrl);
  client.use({
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  });
  return client;
}
