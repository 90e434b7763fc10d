import { type Route } from '@angular/router';

/** One lazy chunk per page; each page folder owns its routes (`pages/<page>/<page>.routes.ts`). */
export const appRoutes: Route[] = [
  { path: '', pathMatch: 'full', redirectTo: 'packages' },
  {
    path: 'packages',
    loadChildren: () => import('./pages/packages/packages.routes').then((m) => m.packagesRoutes),
  },
  {
    path: 'packages/:id',
    loadChildren: () =>
      import('./pages/package-detail/package-detail.routes').then((m) => m.packageDetailRoutes),
  },
  {
    path: '**',
    loadChildren: () => import('./pages/not-found/not-found.routes').then((m) => m.notFoundRoutes),
  },
];
