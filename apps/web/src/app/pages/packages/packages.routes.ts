import { type Route } from '@angular/router';

export const packagesRoutes: Route[] = [
  {
    path: '',
    title: 'Packages · Integrixs',
    loadComponent: () => import('./packages-page').then((m) => m.PackagesPage),
  },
];
