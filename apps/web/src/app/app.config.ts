import {
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
  type ApplicationConfig,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';

import { ApiSession } from './api/api-session';
import { appRoutes } from './app.routes';
import { AuthService } from './auth/auth.service';
import { LiveEvents } from './live/live-events.service';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    // Route parameters (`:id`) arrive as component inputs.
    provideRouter(appRoutes, withComponentInputBinding()),
    // The API client's access token and 401 renewal come from the session.
    { provide: ApiSession, useExisting: AuthService },
    // Live updates: the events socket opens after sign-in and closes at sign-out.
    provideAppInitializer(() => void inject(LiveEvents)),
  ],
};
