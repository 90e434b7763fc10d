import { type Route } from '@angular/router';

export const notFoundRoutes: Route[] = [
  {
    path: '',
    title: 'Page not found · Integrixs',
    loadComponent: () => import('./not-found-page').then((m) => m.NotFoundPage),
  },
];
