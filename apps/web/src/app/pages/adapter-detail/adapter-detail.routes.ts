import { type Route } from '@angular/router';
import { provideFormlyCore } from '@ngx-formly/core';
import { withFormlyMaterial } from '@ngx-formly/material';

import { formlyMessages } from './adapter-form-fields';

/** `/packages/:id/adapters/new` creates an adapter; `/packages/:id/adapters/:adapterId` shows one. */
export const adapterDetailRoutes: Route[] = [
  {
    path: '',
    title: 'Adapter · Integrixs',
    providers: [provideFormlyCore([...withFormlyMaterial(), formlyMessages])],
    loadComponent: () => import('./adapter-detail-page').then((m) => m.AdapterDetailPage),
  },
];
