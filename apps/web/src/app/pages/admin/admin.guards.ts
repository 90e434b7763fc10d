import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';

import { type Permission } from '@integrixs/domain';

import { AuthService } from '../../auth/auth.service';
import { SessionStore } from '../../auth/session.store';

/**
 * An administration tab for users whose role has `permission` (the matrix in libs/domain, as
 * the API enforces it); anyone else lands on their own API tokens. The API still decides.
 */
export function mayGuard(permission: Permission): CanActivateFn {
  return async () => {
    // Everything injected before the first await: after it, there is no injection context.
    const auth = inject(AuthService);
    const session = inject(SessionStore);
    const router = inject(Router);
    await auth.ready();
    return session.can(permission) ? true : router.createUrlTree(['/admin/tokens']);
  };
}

/** `/admin` itself: administrators start with the users, everyone else with their API tokens. */
export const adminHomeGuard: CanActivateFn = async () => {
  const auth = inject(AuthService);
  const session = inject(SessionStore);
  const router = inject(Router);
  await auth.ready();
  return router.createUrlTree(['/admin', session.can('user:read') ? 'users' : 'tokens']);
};
