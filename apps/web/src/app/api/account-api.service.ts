import { inject, Injectable } from '@angular/core';

import { type MeDto, type MfaConfirmedDto, type MfaEnrolmentDto } from '@integrixs/api-client';

import { API_CLIENT } from './api-client';
import { toResult, type ApiResult } from './api-result';

/** The signed-in user's own account (`/api/auth/me`, MFA enrolment). */
@Injectable({ providedIn: 'root' })
export class AccountApi {
  private readonly client = inject(API_CLIENT);

  me(): Promise<ApiResult<MeDto>> {
    return toResult(this.client.GET('/api/auth/me'));
  }

  /** Starts MFA enrolment (re-authenticated with the password): a new secret and its QR code. */
  beginMfaEnrolment(password: string): Promise<ApiResult<MfaEnrolmentDto>> {
    return toResult(this.client.POST('/api/auth/mfa/enrolment', { body: { password } }));
  }

  /** Turns MFA on with a first code; answers the recovery codes and a new access token. */
  confirmMfaEnrolment(code: string): Promise<ApiResult<MfaConfirmedDto>> {
    return toResult(this.client.POST('/api/auth/mfa/enrolment/confirm', { body: { code } }));
  }
}
