import { type Route } from '@angular/router';

export const flowDetailRoutes: Route[] = [
  {
    path: '',
    title: 'Flow · Integrixs',
    loadComponent: () => import('./flow-page').then((m) => m.FlowPage),
  },
];
