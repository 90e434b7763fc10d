import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { type FastifyRequest } from 'fastify';
import { type DataSource } from 'typeorm';

import { isUuid, roleAllows, ruleOf, type Permission } from '@integrixs/domain';
import { prepared } from '@integrixs/runtime';

import { ExpiringMap } from '../../core/cache/expiring-map';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config';
import {
  ForbiddenError,
  MfaEnrollmentRequiredError,
  MfaRequiredError,
  NotFoundError,
  ValidationError,
  type AppError,
} from '../../core/errors/app-error';
import {
  PERMISSION_KEY,
  PERMISSION_OPTIONS_KEY,
  PUBLIC_KEY,
  type PermissionOptions,
} from '../../core/http/permission.decorators';
import { RouteMetadataCache } from '../../core/http/route-metadata';
import { AccessService } from '../access.service';
import { type Principal } from '../principal';
import { recordSecurityEvent } from '../security-events';

/** How long a found asset's package is kept, and how many are (packageOfAsset). */
const ASSET_PACKAGE_TTL_MS = 5_000;
const MAX_ASSET_PACKAGES = 10_000;

/** The package of a live asset (every request to an asset's route asks it). */
const PACKAGE_OF_ASSET_SQL = prepared(
  `SELECT package_id FROM package_assets WHERE id = $1 AND type = $2 AND deleted_at IS NULL`,
);

/**
 * Global guard #2: the route's permission (deny when it has none), checked against the matrix:
 * global role, or role in the route's package (non-members get 404, as if it did not exist), an
 * API token's scopes and package list, MFA enrolment for administrators and step-up freshness.
 * Every refusal is written to the audit log.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  private readonly logger = new Logger(PermissionGuard.name);
  /** A route's permission metadata, read once per route. */
  private readonly routes = new RouteMetadataCache((targets) => ({
    isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
    permission: this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets),
    options:
      this.reflector.getAllAndOverride<PermissionOptions | undefined>(
        PERMISSION_OPTIONS_KEY,
        targets,
      ) ?? {},
  }));

  /** Recently found assets' packages (packageOfAsset). */
  private readonly assetPackages = new ExpiringMap<string>(
    ASSET_PACKAGE_TTL_MS,
    MAX_ASSET_PACKAGES,
  );

  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, permission, options } = this.routes.get(context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = request.user;
    if (!permission || !principal) {
      this.logger.error(
        `route ${request.method} ${request.routeOptions.url ?? ''} has no permission: refused`,
      );
      throw new ForbiddenError('this route is not available');
    }
    try {
      await this.check(request, principal, permission, options);
      return true;
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      await recordSecurityEvent(
        this.db.manager,
        'ACCESS_DENIED',
        request.user?.userId ?? principal.userId,
        {
          permission,
          route: `${request.method} ${request.routeOptions.url ?? ''}`,
          reason: (error as AppError).code,
        },
        request.packageAccess?.packageId ?? null,
      );
      throw error;
    }
  }

  private async check(
    request: FastifyRequest,
    claimed: Principal,
    permission: Permission,
    options: PermissionOptions,
  ): Promise<void> {
    const rule = ruleOf(permission);
    let packageId: string | null = null;
    /** What a caller who may not see the package is told: the package, or the asset, does not exist. */
    let hidden = (id: string) => new NotFoundError('Package', id);
    if (rule.scope === 'package' && options.packageOfAsset) {
      const { param, type, label } = options.packageOfAsset;
      const assetId = (request.params as Record<string, string | undefined>)[param] ?? '';
      hidden = () => new NotFoundError(label, assetId);
      packageId = isUuid(assetId) ? await this.packageOfAsset(assetId, type) : null;
      if (packageId === null) throw hidden(assetId);
    } else if (rule.scope === 'package') {
      packageId = (request.params as Record<string, string | undefined>)['id'] ?? '';
      // Nothing is looked up with a malformed id.
      if (!isUuid(packageId)) throw ValidationError.of('id', 'must be a UUID', 'uuid');
    }
    const { principal, packageRole, packageDeleted } = await this.access.resolve(
      claimed,
      packageId,
    );
    request.user = principal;
    if (
      principal.kind === 'user' &&
      principal.role === 'ADMINISTRATOR' &&
      !principal.mfaEnrolled &&
      permission !== 'account:self'
    ) {
      throw new MfaEnrollmentRequiredError();
    }
    if (principal.token && !principal.token.permissions.includes(permission)) {
      throw new ForbiddenError(`the API token is not allowed to "${permission}"`);
    }
    if (rule.scope === 'global' && !roleAllows(principal.role, permission)) {
      throw new ForbiddenError(`your role ${principal.role} does not allow "${permission}"`);
    }
    if (packageId !== null) {
      if (packageRole === null || (packageDeleted && !options.allowDeletedPackage)) {
        throw hidden(packageId);
      }
      request.packageAccess = { packageId, role: packageRole };
      if (!roleAllows(packageRole, permission)) {
        throw new ForbiddenError(
          `your role ${packageRole} in this package does not allow "${permission}"`,
        );
      }
    }
    if (rule.stepUp && !this.recentlyConfirmed(principal)) throw new MfaRequiredError();
  }

  /**
   * The package of a live asset of `type` (null when there is none). Found ones are kept for
   * ASSET_PACKAGE_TTL_MS: an asset never changes package, and the route checks the asset itself
   * (a deletion within that time is answered there).
   */
  private async packageOfAsset(assetId: string, type: string): Promise<string | null> {
    const key = `${type}|${assetId}`;
    const hit = this.assetPackages.get(key);
    if (hit) return hit;
    const [row] = await this.db.query<{ package_id: string }[]>(PACKAGE_OF_ASSET_SQL, [
      assetId,
      type,
    ]);
    if (!row) return null;
    this.assetPackages.set(key, row.package_id);
    return row.package_id;
  }

  private recentlyConfirmed(principal: Principal): boolean {
    return (
      principal.mfaAt !== null &&
      Date.now() - principal.mfaAt.getTime() <= this.config.mfaStepUpMaxAgeSeconds * 1000
    );
  }
}
