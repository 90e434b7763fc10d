import { computed, Injectable, signal } from '@angular/core';

import { type MeDto, type SessionDto } from '@integrixs/api-client';
import {
  effectivePackageRole,
  PERMISSION_RULES,
  roleAllows,
  type Permission,
  type Role,
} from '@integrixs/domain';

/** Why the last session ended, for the sign-in page to say so. */
export type SessionEnd = 'signed-out' | 'expired';

interface SignedIn {
  readonly user: MeDto;
  /** Kept in memory only: never in localStorage or a readable cookie. */
  readonly accessToken: string;
}

/** The signed-in user and their access token, as signals. Changed only by AuthService. */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly state = signal<SignedIn | null>(null);
  private readonly ending = signal<SessionEnd | null>(null);

  readonly user = computed(() => this.state()?.user ?? null);
  readonly signedIn = computed(() => this.state() !== null);
  /** How the previous session ended (null while signed in, or before any session). */
  readonly ended = this.ending.asReadonly();

  accessToken(): string | null {
    return this.state()?.accessToken ?? null;
  }

  /**
   * Whether the permission matrix (libs/domain, the same one the API enforces) lets the user do
   * `permission`: by global role, or for package permissions by their role in that package
   * (`packageRole`: their membership; a global administrator is administrator everywhere).
   * For hiding what a user cannot do; the API still decides.
   */
  can(permission: Permission, packageRole: Role | null = null): boolean {
    const user = this.user();
    if (!user) return false;
    if (PERMISSION_RULES[permission].scope !== 'package') return roleAllows(user.role, permission);
    const role = effectivePackageRole(user.role, packageRole);
    return role !== null && roleAllows(role, permission);
  }

  start(session: SessionDto): void {
    this.state.set({ user: session.user, accessToken: session.accessToken });
    this.ending.set(null);
  }

  replaceAccessToken(accessToken: string): void {
    this.state.update((state) => (state ? { ...state, accessToken } : state));
  }

  replaceUser(user: MeDto): void {
    this.state.update((state) => (state ? { ...state, user } : state));
  }

  end(reason: SessionEnd): void {
    if (this.state() === null && reason === 'expired') return;
    this.state.set(null);
    this.ending.set(reason);
  }
}
