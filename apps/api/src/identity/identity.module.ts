import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AccessCache } from './access-cache';
import { AccessTokens } from './access-tokens';
import { AccessService } from './access.service';
import { AdminBootstrap } from './admin-bootstrap';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { ApiToken } from './entities/api-token.entity';
import { PackageMember } from './entities/package-member.entity';
import { RecoveryCode } from './entities/recovery-code.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { User } from './entities/user.entity';
import { AuthenticationGuard } from './guards/authentication.guard';
import { PermissionGuard } from './guards/permission.guard';
import { IdentityRetention } from './identity-retention';
import { LoginThrottle } from './login-throttle.service';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { MfaService } from './mfa.service';
import { PasswordHasher } from './password-hasher';
import { SessionsService } from './sessions.service';
import { BearerAuthenticator } from './strategies';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/**
 * Identity and access: users, sign-in with MFA, sessions, API tokens, package membership, and
 * the two global guards (authentication, then permission) that every route passes.
 */
@Module({
  imports: [TypeOrmModule.forFeature([User, RefreshToken, RecoveryCode, ApiToken, PackageMember])],
  controllers: [AuthController, UsersController, MembersController, ApiTokensController],
  providers: [
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: PermissionGuard },
    AccessCache,
    AccessService,
    AccessTokens,
    AdminBootstrap,
    ApiTokensService,
    AuthService,
    IdentityRetention,
    LoginThrottle,
    MembersService,
    MfaService,
    PasswordHasher,
    SessionsService,
    UsersService,
    BearerAuthenticator,
  ],
  exports: [MembersService, UsersService, AccessService, PasswordHasher, BearerAuthenticator],
})
export class IdentityModule {}
