import { type Route } from '@angular/router';

export const flowDesignerRoutes: Route[] = [
  {
    path: '',
    title: 'Flow designer · Integrixs',
    loadComponent: () => import('./flow-designer-page').then((m) => m.FlowDesignerPage),
  },
];
