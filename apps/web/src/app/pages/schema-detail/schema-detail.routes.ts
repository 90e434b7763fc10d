import { type Route } from '@angular/router';

export const schemaDetailRoutes: Route[] = [
  {
    path: '',
    title: 'Schema · Integrixs',
    loadComponent: () => import('./schema-detail-page').then((m) => m.SchemaDetailPage),
  },
];
