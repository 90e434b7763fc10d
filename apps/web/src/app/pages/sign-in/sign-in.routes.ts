import { type Route } from '@angular/router';

export const signInRoutes: Route[] = [
  {
    path: '',
    title: 'Sign in · Integrixs',
    loadComponent: () => import('./sign-in-page').then((m) => m.SignInPage),
  },
];
