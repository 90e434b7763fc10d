import { InjectionToken } from '@angular/core';

import { createApiClient, type ApiClient } from '@integrixs/api-client';

/** The typed client for the API on the console's own origin (the API serves the console at `/`). */
export const API_CLIENT = new InjectionToken<ApiClient>('API_CLIENT', {
  providedIn: 'root',
  factory: () => createApiClient(''),
});
