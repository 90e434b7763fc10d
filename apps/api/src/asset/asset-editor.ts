import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';

import { type Role } from '@integrixs/domain';

import { AssetLockedError } from '../core/errors/app-error';

import '../identity/principal';

import { type PackageAsset } from './entities/package-asset.entity';

/** Who is changing an asset, and in which role in its package. */
export interface AssetEditor {
  readonly userId: string;
  readonly packageRole: Role;
}

/**
 * The asset-level rule: a locked asset may be changed, deleted or unlocked only by the user who
 * locked it or by an administrator of its package (documented in docs/decisions.md).
 */
export function assertMayEdit(asset: PackageAsset, editor: AssetEditor, what: string): void {
  if (
    asset.lockedBy &&
    asset.lockedBy !== editor.userId &&
    editor.packageRole !== 'ADMINISTRATOR'
  ) {
    throw new AssetLockedError(what, asset.lockedBy);
  }
}

/** The caller as an AssetEditor (package-scoped routes: the permission guard resolved the role). */
export const CurrentEditor = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AssetEditor => {
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    if (!request.user || !request.packageAccess)
      throw new Error('CurrentEditor needs a package-scoped permission');
    return { userId: request.user.userId, packageRole: request.packageAccess.role };
  },
);
