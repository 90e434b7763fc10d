import { Body, Controller, Delete, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';

import { API_TOKEN_PREFIX } from '@integrixs/domain';

import { Public, RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { AuthService, type SignedIn } from './auth.service';
import {
  AccessTokenDto,
  ChangePasswordDto,
  LoginDto,
  LoginMfaDto,
  LoginResultDto,
  LogoutDto,
  MeDto,
  MfaCodeDto,
  MfaConfirmedDto,
  MfaEnrolmentDto,
  PasswordAndCodeDto,
  PasswordDto,
  RecoveryCodesDto,
  RefreshDto,
  SessionDto,
  type SessionMode,
} from './dto/auth.dto';
import { meOf } from './me.view';
import { CurrentPrincipal, type Principal } from './principal';
import { type ClientInfo } from './sessions.service';

export const REFRESH_COOKIE = 'ixr';
const COOKIE_PATH = '/api/auth';

function clientOf(request: FastifyRequest): ClientInfo {
  return { userAgent: request.headers['user-agent'] ?? null, ip: request.ip };
}

function cookieToken(request: FastifyRequest): string | undefined {
  return request.cookies[REFRESH_COOKIE];
}

/** The bearer access token (JWT) of a request, if any; API tokens are not sessions. */
function bearerAccessToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  const token = header.slice(7).trim();
  return token.startsWith(API_TOKEN_PREFIX) ? undefined : token;
}

/** Sign-in, sessions and the signed-in user's own account (password, MFA). */
@ApiTags('Authentication')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'login',
    summary:
      'Sign in with username and password; answers mfaRequired when a second factor is needed',
  })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiProblems(400, 401, 429)
  async login(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResultDto> {
    const result = await this.auth.login(dto.username, dto.password, clientOf(request));
    if (result.kind === 'mfa-required')
      return { mfaRequired: true, mfaToken: result.mfaToken, session: null };
    return {
      mfaRequired: false,
      mfaToken: null,
      session: this.session(result, dto.session, request, reply),
    };
  }

  @Post('login/mfa')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'loginMfa',
    summary: 'Second step of sign-in: a TOTP or recovery code',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblems(400, 401, 429)
  async loginMfa(
    @Body() dto: LoginMfaDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionDto> {
    const result = await this.auth.loginWithMfa(dto.mfaToken, dto.code, clientOf(request));
    return this.session(result, dto.session, request, reply);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'refresh',
    summary:
      'Exchange a refresh token (cookie or body) for a new access token and a new refresh token',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblems(400, 401)
  async refresh(
    @Body() dto: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionDto> {
    const fromCookie = cookieToken(request);
    const token = dto.refreshToken ?? fromCookie ?? '';
    const result = await this.auth.refresh(token, clientOf(request));
    return this.session(
      result,
      dto.session ?? (dto.refreshToken ? 'body' : 'cookie'),
      request,
      reply,
    );
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    operationId: 'logout',
    summary:
      'End the session of a refresh token (cookie or body) and of the bearer access token, if sent',
  })
  @ApiNoContentResponse({
    description:
      'Signed out: the session ends at once, its access tokens included (also answered when a token was unknown, invalid or already ended).',
  })
  @ApiProblems(400)
  async logout(
    @Body() dto: LogoutDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(dto.refreshToken ?? cookieToken(request), bearerAccessToken(request));
    void reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
  }

  @Get('me')
  @RequirePermission('account:self')
  @ApiOperation({ operationId: 'me', summary: 'The signed-in user and their global permissions' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    return this.auth.me(principal);
  }

  @Put('password')
  @RequirePermission('account:self')
  @ApiOperation({
    operationId: 'changePassword',
    summary: 'Change your password (ends every other session)',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblems(400, 429)
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ChangePasswordDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionDto> {
    const result = await this.auth.changePassword(
      principal,
      dto.currentPassword,
      dto.newPassword,
      clientOf(request),
    );
    return this.session(result, dto.session, request, reply);
  }

  @Post('mfa/enrolment')
  @RequirePermission('account:self')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'beginMfaEnrolment',
    summary: 'Start MFA enrolment: a secret as otpauth URI and QR code',
  })
  @ApiOkResponse({ type: MfaEnrolmentDto })
  @ApiProblems(400, 409, 429)
  beginMfaEnrolment(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PasswordDto,
  ): Promise<MfaEnrolmentDto> {
    return this.auth.beginMfaEnrolment(principal, dto.password);
  }

  @Post('mfa/enrolment/confirm')
  @RequirePermission('account:self')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'confirmMfaEnrolment',
    summary: 'Confirm enrolment with a first code; returns recovery codes',
  })
  @ApiOkResponse({ type: MfaConfirmedDto })
  @ApiProblems(400, 409, 429)
  confirmMfaEnrolment(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: MfaCodeDto,
  ): Promise<MfaConfirmedDto> {
    return this.auth.confirmMfaEnrolment(principal, dto.code);
  }

  @Post('mfa/verify')
  @RequirePermission('account:self')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'verifyMfa',
    summary: 'Step-up: confirm MFA for sensitive actions; returns a fresh access token',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblems(400, 409, 429)
  verifyMfa(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: MfaCodeDto,
  ): Promise<AccessTokenDto> {
    return this.auth.stepUp(principal, dto.code);
  }

  @Post('mfa/recovery-codes')
  @RequirePermission('account:self')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'regenerateRecoveryCodes',
    summary: 'Replace your recovery codes (password and a current code)',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiProblems(400, 409, 429)
  async regenerateRecoveryCodes(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PasswordAndCodeDto,
  ): Promise<RecoveryCodesDto> {
    return {
      recoveryCodes: await this.auth.regenerateRecoveryCodes(principal, dto.password, dto.code),
    };
  }

  @Delete('mfa')
  @RequirePermission('account:self')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'disableMfa',
    summary: 'Turn MFA off (password and a current code; not for administrators)',
  })
  @ApiProblems(400, 409, 429)
  async disableMfa(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PasswordAndCodeDto,
  ): Promise<void> {
    await this.auth.disableMfa(principal, dto.password, dto.code);
  }

  private session(
    result: SignedIn,
    mode: SessionMode | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): SessionDto {
    const asCookie = mode === 'cookie';
    if (asCookie) {
      void reply.setCookie(REFRESH_COOKIE, result.session.refreshToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: COOKIE_PATH,
        expires: result.session.expiresAt,
      });
    }
    void reply.header('cache-control', 'no-store');
    return {
      accessToken: result.accessToken,
      tokenType: 'Bearer',
      expiresIn: result.expiresIn,
      refreshToken: asCookie ? null : result.session.refreshToken,
      refreshExpiresAt: result.session.expiresAt.toISOString(),
      user: meOf(result.user),
    };
  }
}
