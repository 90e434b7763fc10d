import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';

import { AuthService } from './auth.service';
import { safeReturnUrl } from './return-url';

/**
 * Pages for signed-in users: others go to `/sign-in?returnUrl=…`, and administrators who still
 * need MFA go to the enrolment page first (the API refuses them everything else anyway).
 */
export const signedInGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  await auth.ready();
  const user = auth.user();
  if (!user) return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
  if (user.mfaEnrollmentRequired) {
    return router.createUrlTree(['/account/mfa'], { queryParams: { returnUrl: state.url } });
  }
  return true;
};

/** The user's own account pages (MFA enrolment): signed in is enough. */
export const accountGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  await auth.ready();
  if (auth.user()) return true;
  return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
};

/** The sign-in page: a signed-in user goes straight on to where they were headed. */
export const signedOutGuard: CanActivateFn = async (route) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  await auth.ready();
  if (!auth.user()) return true;
  return router.parseUrl(safeReturnUrl(route.queryParamMap.get('returnUrl')));
};
