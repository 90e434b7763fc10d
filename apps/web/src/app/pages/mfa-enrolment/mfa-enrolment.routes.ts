import { type Route } from '@angular/router';

export const mfaEnrolmentRoutes: Route[] = [
  {
    path: '',
    title: 'Two-step verification · Integrixs',
    loadComponent: () => import('./mfa-enrolment-page').then((m) => m.MfaEnrolmentPage),
  },
];
