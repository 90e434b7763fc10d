import { inject, Injectable } from '@angular/core';

import {
  type AccessTokenDto,
  type CreateUserDto,
  type operations,
  type UpdateUserDto,
  type UserDto,
  type UserPageDto,
} from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { ifMatch, toResult, type ApiResult } from './api-result';

export type UserListQuery = NonNullable<operations['listUsers']['parameters']['query']>;

/**
 * User administration (`/api/users…`, administrators). Every change needs a recent MFA
 * confirmation: the API answers 401 `mfa_required` until the caller confirms a code (`stepUp`).
 */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly client = inject(API_CLIENT);

  list(query: UserListQuery, signal?: AbortSignal): Promise<ApiResult<UserPageDto>> {
    return toResult(this.client.GET('/api/users', { params: { query }, signal }));
  }

  create(body: CreateUserDto): Promise<ApiResult<UserDto>> {
    return toResult(this.client.POST('/api/users', { body }));
  }

  /** Changes role, disabled, display name or email, with the version read (412 when stale). */
  update(user: Pick<UserDto, 'id' | 'version'>, body: UpdateUserDto): Promise<ApiResult<UserDto>> {
    return toResult(
      this.client.PUT('/api/users/{userId}', {
        params: { path: { userId: user.id }, header: ifMatch(user.version) },
        body,
      }),
    );
  }

  /** Resets the user's MFA (a lost device): their sessions end and they enrol again. */
  resetMfa(id: string): Promise<ApiResult<UserDto>> {
    return toResult(
      this.client.POST('/api/users/{userId}/mfa/reset', { params: { path: { userId: id } } }),
    );
  }

  /** Confirms an MFA code; the answer's access token counts as a recent step-up. */
  stepUp(code: string): Promise<ApiResult<AccessTokenDto>> {
    return toResult(this.client.POST('/api/auth/mfa/verify', { body: { code } }));
  }
}
