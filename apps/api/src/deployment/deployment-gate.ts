import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type FlowContent, type Role } from '@integrixs/domain';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { AppError, MfaRequiredError } from '../core/errors/app-error';
import { type ReadinessItem } from '../flow/readiness-types';
import { ReadinessService } from '../flow/readiness.service';
import { type Principal } from '../identity/principal';

/** One line of the gate's answer (the readiness checklist's). */
export type GateItem = Pick<ReadinessItem, 'key' | 'status' | 'explanation' | 'fixHint'> &
  Partial<Pick<ReadinessItem, 'asset' | 'nodeId'>>;

export interface GateSubject {
  packageId: string;
  flowId: string;
  /** The flow version deployed. */
  flowVersion: number;
  /** The flow content with the deployment's versions written into its references. */
  content: FlowContent;
  environment: { id: string; code: string; name?: string; protected: boolean };
  principal: Principal;
  /** The caller's role in the package. */
  packageRole: Role;
  /** The deployment's lock file: every asset's pinned version (checked at that version). */
  pins?: readonly { assetId: string; version: number }[];
}

/** 409: the readiness gate refused the deployment; `items` are its failing checks. */
export class DeploymentNotReadyError extends AppError {
  readonly status = 409;
  readonly code = 'flow_not_ready';
  readonly title = 'The flow is not ready for this environment';

  constructor(environment: string, items: GateItem[]) {
    super(
      `the flow cannot be deployed to ${environment}: ${items.length} check(s) failed: ${items
        .slice(0, 3)
        .map((i) => i.explanation)
        .join('; ')}${items.length > 3 ? '; …' : ''}`,
    );
    this.extensions['environment'] = environment;
    this.extensions['items'] = items;
  }
}

const PROTECTED_ROLES: readonly Role[] = ['ADMINISTRATOR', 'INTEGRATOR'];

/**
 * The readiness gate at deploy time, for one environment: the flow (at the versions the
 * deployment pins) passes the readiness checklist (ReadinessService, purpose `deploy`), and the caller may deploy there — a protected
 * environment needs an INTEGRATOR or ADMINISTRATOR of the package with a recent MFA step-up
 * (enforced here as well: 401 `mfa_required` without it, 403 for another role).
 */
@Injectable()
export class DeploymentGate {
  constructor(
    private readonly readiness: ReadinessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Refuses (401/403) a caller who may not deploy to the environment at all. */
  assertMayDeploy(subject: Pick<GateSubject, 'environment' | 'principal' | 'packageRole'>): void {
    const item = this.permissionItem(subject);
    if (item.status === 'pass') return;
    if (PROTECTED_ROLES.includes(subject.packageRole)) throw new MfaRequiredError();
    throw new DeployForbiddenError(item.explanation);
  }

  /** Runs every check; throws DeploymentNotReadyError with the failing ones. */
  async assertReady(m: EntityManager, subject: GateSubject): Promise<void> {
    this.assertMayDeploy(subject);
    const { environment: env } = subject;
    const result = await this.readiness.evaluate(
      {
        id: subject.flowId,
        packageId: subject.packageId,
        version: subject.flowVersion,
        content: subject.content,
      },
      { id: env.id, code: env.code, name: env.name ?? env.code, protected: env.protected },
      subject.principal,
      {
        manager: m,
        purpose: 'deploy',
        pins: subject.pins
          ? new Map(subject.pins.map((p) => [p.assetId.toLowerCase(), p.version]))
          : undefined,
      },
    );
    const failing = result.items.filter((i) => i.status === 'fail');
    if (!result.ready || failing.length > 0) throw new DeploymentNotReadyError(env.code, failing);
  }

  private permissionItem({
    environment,
    principal,
    packageRole,
  }: Pick<GateSubject, 'environment' | 'principal' | 'packageRole'>): GateItem {
    if (!environment.protected)
      return { key: 'deploy-permission', status: 'pass', explanation: 'ok', fixHint: null };
    const role = PROTECTED_ROLES.includes(packageRole);
    const recent =
      principal.mfaAt !== null &&
      Date.now() - principal.mfaAt.getTime() <= this.config.mfaStepUpMaxAgeSeconds * 1000;
    if (role && recent)
      return { key: 'deploy-permission', status: 'pass', explanation: 'ok', fixHint: null };
    return {
      key: 'deploy-permission',
      status: 'fail',
      explanation: role
        ? `${environment.code} is protected: confirm with your second factor first`
        : `${environment.code} is protected: only an INTEGRATOR or ADMINISTRATOR of the package may deploy there (your role: ${packageRole})`,
      fixHint: role ? 'POST /api/auth/mfa/verify with a current code, then retry' : null,
    };
  }
}

/** 403: the caller's role may not deploy to this (protected) environment. */
export class DeployForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  readonly title = 'Not allowed';
}
