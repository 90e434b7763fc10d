import { TestBed } from '@angular/core/testing';
import {
  Router,
  UrlTree,
  type ActivatedRouteSnapshot,
  type CanActivateFn,
  type RouterStateSnapshot,
} from '@angular/router';

import { type MeDto, type SessionDto } from '@integrixs/api-client';
import { type Role } from '@integrixs/domain';

import { AuthService } from '../../auth/auth.service';
import { SessionStore } from '../../auth/session.store';
import { adminHomeGuard, mayGuard } from './admin.guards';

/** Runs a guard as the router does (in an injection context), after restoring a `role` session. */
async function guard(run: CanActivateFn, role: Role): Promise<string | true> {
  TestBed.configureTestingModule({
    providers: [{ provide: AuthService, useValue: { ready: () => Promise.resolve() } }],
  });
  TestBed.inject(SessionStore).start({
    accessToken: 'token',
    user: { id: 'u-1', username: 'someone', role, mfaEnrollmentRequired: false } as MeDto,
  } as SessionDto);
  const outcome = await TestBed.runInInjectionContext(() =>
    run({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
  );
  if (outcome === true) return true;
  if (!(outcome instanceof UrlTree))
    throw new Error(`unexpected guard outcome ${JSON.stringify(outcome)}`);
  return TestBed.inject(Router).serializeUrl(outcome);
}

describe('administration guards', () => {
  it.each([
    ['ADMINISTRATOR', '/admin/users'],
    ['DEVELOPER', '/admin/tokens'],
    ['VIEWER', '/admin/tokens'],
  ] as const)('starts a %s at %s', async (role, start) => {
    expect(await guard(adminHomeGuard, role)).toBe(start);
  });

  it.each([
    ['user:read', 'ADMINISTRATOR', true],
    ['user:read', 'VIEWER', '/admin/tokens'],
    ['audit:read', 'DEVELOPER', '/admin/tokens'],
    ['environment:read', 'VIEWER', true],
  ] as const)('lets %s through for a %s: %s', async (permission, role, expected) => {
    expect(await guard(mayGuard(permission), role)).toBe(expected);
  });
});
