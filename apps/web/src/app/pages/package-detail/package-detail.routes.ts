import { type Route } from '@angular/router';

export const packageDetailRoutes: Route[] = [
  {
    path: '',
    title: 'Package · Integrixs',
    loadComponent: () => import('./package-detail-page').then((m) => m.PackageDetailPage),
  },
];
