import { type Route } from '@angular/router';

export const mappingEditorRoutes: Route[] = [
  {
    path: '',
    title: 'Mapping · Integrixs',
    loadComponent: () => import('./mapping-editor-page').then((m) => m.MappingEditorPage),
  },
];
