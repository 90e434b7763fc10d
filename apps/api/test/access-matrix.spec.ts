import { randomUUID } from 'node:crypto';

import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { type InjectOptions, type Response as InjectResponse } from 'light-my-request';

import {
  ASSET_TYPES,
  effectivePackageRole,
  PERMISSIONS,
  roleAllows,
  ROLES,
  ruleOf,
  type Permission,
  type Role,
} from '@integrixs/domain';

import { PERMISSION_KEY, PUBLIC_KEY } from '../src/core/http/permission.decorators';
import {
  createAssetOfEveryType,
  createPackage,
  fillPath,
  hiddenPackageDetail,
  isKnownPermission,
  mapLimit,
  openApiOperations,
  operationName,
  problemOf,
  segmentBefore,
  withRequiredQuery,
  withStaleMfa,
  type Operation,
} from './support/access-fixtures';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * The route × role × membership matrix, generated from the running app's OpenAPI document: every
 * operation is probed as every kind of caller and must be allowed or denied exactly as the matrix
 * in libs/domain says. Probes have no side effects: the guards run before validation, so a write
 * is sent with a body that fails validation (allowed ⇒ 400), a delete with a stale If-Match
 * (allowed ⇒ 412), and bodyless actions on ids that do not exist inside the package (allowed ⇒
 * the service's own 404, told apart from the guard's "Package … does not exist").
 */

/** What a caller gets: let through to the route, or one of the guards' refusals. */
type Outcome =
  | 'allowed'
  | 'unauthenticated'
  | 'mfa_required'
  | 'mfa_enrollment_required'
  | 'forbidden'
  | 'hidden';

/** fresh: MFA confirmed just now; stale: enrolled, confirmed too long ago; none: not enrolled. */
type MfaState = 'fresh' | 'stale' | 'none';

interface Caller {
  role: Role;
  /** Role in the probed package; null: not a member (but a member of another package). */
  membership: Role | null;
  mfa: MfaState;
}

/** The only operations anyone may call without signing in. */
const PUBLIC_OPERATIONS = [
  'GET /api/health',
  'POST /api/auth/login',
  'POST /api/auth/login/mfa',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
];

/** Bodyless writes whose only target is the package and that change nothing on a live package. */
const IDEMPOTENT_ON_LIVE_PACKAGE = ['POST /api/packages/{id}/restore'];

const MEMBERSHIPS: readonly (Role | null)[] = [null, ...ROLES];
const MFA_STATES: readonly MfaState[] = ['fresh', 'stale', 'none'];

/**
 * Every membership with a fresh MFA confirmation; without one, the memberships that tell the
 * step-up and enrolment rules apart (an ADMINISTRATOR member holds every package permission).
 */
function membershipsFor(mfa: MfaState): readonly (Role | null)[] {
  return mfa === 'fresh' ? MEMBERSHIPS : [null, 'ADMINISTRATOR'];
}

const CALLERS: readonly Caller[] = MFA_STATES.flatMap((mfa) =>
  ROLES.flatMap((role) => membershipsFor(mfa).map((membership) => ({ role, membership, mfa }))),
);

/**
 * The matrix as libs/domain states it, plus the one rule outside it: administrators must have
 * MFA enrolled before anything but their own account (issue 4).
 */
function expectedOutcome(permission: Permission, caller: Caller | null): Outcome {
  if (caller === null) return 'unauthenticated';
  const rule = ruleOf(permission);
  if (caller.role === 'ADMINISTRATOR' && caller.mfa === 'none' && permission !== 'account:self')
    return 'mfa_enrollment_required';
  if (rule.scope === 'global' && !roleAllows(caller.role, permission)) return 'forbidden';
  if (rule.scope === 'package') {
    const role = effectivePackageRole(caller.role, caller.membership);
    if (role === null) return 'hidden';
    if (!roleAllows(role, permission)) return 'forbidden';
  }
  if (rule.stepUp === true && caller.mfa !== 'fresh') return 'mfa_required';
  return 'allowed';
}

interface Fixtures {
  packageId: string;
  /** Asset id by URL segment (`schemas` → a live schema of the package). */
  assets: Record<string, string>;
  /** An existing user (for /users/{userId} and /members/{userId}). */
  userId: string;
}

interface Probe {
  request: InjectOptions;
  /** Describes the answer of a request the guards let through. */
  expectsWhenAllowed: string;
  isAllowed(response: InjectResponse): boolean;
  /** What the guard's 404 says when the route's package is not in its URL (the asset's instead). */
  hiddenDetail?: string;
}

function problemIfAny(response: InjectResponse): ReturnType<typeof problemOf> | undefined {
  const type = String(response.headers['content-type'] ?? '');
  return type.includes('json') && response.statusCode >= 400 ? problemOf(response) : undefined;
}

/** The service's own 404 for an id we made up (not the guard's "Package … does not exist"). */
function isNotFoundOf(response: InjectResponse, inventedIds: string[], packageId: string): boolean {
  const problem = problemIfAny(response);
  return (
    response.statusCode === 404 &&
    problem?.code === 'not_found' &&
    problem.detail !== hiddenPackageDetail(packageId) &&
    inventedIds.some((id) => problem.detail.includes(id))
  );
}

/** Builds a side-effect-free request for the operation, and what it answers when allowed. */
function probeFor(operation: Operation, fixtures: Fixtures): Probe {
  const name = operationName(operation);
  const realValue = (param: string): string | undefined => {
    if (param === 'id') return fixtures.packageId;
    if (param === 'n') return '1'; // a version number: every fixture asset has version 1
    if (param === 'env') return 'DEV'; // an environment code: DEV is seeded
    const segment = segmentBefore(operation.path, param) ?? '';
    if (fixtures.assets[segment]) return fixtures.assets[segment];
    if (segment === 'users' || segment === 'members') return fixtures.userId;
    return undefined;
  };
  const invented: string[] = [];
  /** A value for `param` that names nothing: a uuid, or an environment code for `code`. */
  const inventId = (param?: string) => {
    const uuid = randomUUID();
    const id = param === 'code' ? `PROBE_${uuid.slice(0, 8).toUpperCase()}` : uuid;
    invented.push(id);
    return id;
  };
  const realOrInvented = () =>
    Object.fromEntries(operation.pathParams.map((p) => [p, realValue(p) ?? inventId(p)]));
  const notFoundOrElse = (
    status: number,
    check: (response: InjectResponse) => boolean,
    label: string,
  ) =>
    invented.length > 0
      ? {
          expectsWhenAllowed: 'the service 404 for an invented id',
          isAllowed: (r: InjectResponse) => isNotFoundOf(r, invented, fixtures.packageId),
        }
      : {
          expectsWhenAllowed: label,
          isAllowed: (r: InjectResponse) => r.statusCode === status && check(r),
        };

  if (operation.method === 'GET') {
    const url = withRequiredQuery(fillPath(operation.path, realOrInvented()), operation);
    return { request: { method: 'GET', url }, ...notFoundOrElse(200, () => true, '200') };
  }
  if (name === 'POST /api/runtime/inbound/{flowKey}/{environment}') {
    // The package is the flow's: a real flow of the package, not deployed in DEV (allowed ⇒ 409).
    const flowKey = fixtures.assets['flows'];
    return {
      request: {
        method: 'POST',
        url: fillPath(operation.path, { flowKey, environment: 'DEV' }),
        payload: '<probe/>',
        headers: { 'content-type': 'application/xml' },
      },
      expectsWhenAllowed: '409 state_conflict (the flow is not deployed in DEV)',
      isAllowed: (r) => r.statusCode === 409 && problemIfAny(r)?.code === 'state_conflict',
      hiddenDetail: `Flow ${flowKey} does not exist`,
    };
  }
  if (operation.bodyTypes.includes('application/xml')) {
    // A payload to validate: aimed at an invented schema inside the real package.
    const values = Object.fromEntries(
      operation.pathParams.map((p) => [
        p,
        p === 'id' ? fixtures.packageId : p === 'env' ? 'DEV' : inventId(p),
      ]),
    );
    return {
      request: {
        method: operation.method as InjectOptions['method'],
        url: withRequiredQuery(fillPath(operation.path, values), operation),
        payload: {},
      },
      expectsWhenAllowed: 'the service 404 for an invented id',
      isAllowed: (r) => isNotFoundOf(r, invented, fixtures.packageId),
    };
  }
  if (operation.hasBody) {
    if (operation.bodyTypes.length > 0 && !operation.bodyTypes.includes('application/json'))
      throw new Error(`${name}: no probe for a ${operation.bodyTypes.join('/')} body; add one`);
    const url = withRequiredQuery(fillPath(operation.path, realOrInvented()), operation);
    return {
      request: {
        method: operation.method as InjectOptions['method'],
        url,
        payload: { __probe: true },
      },
      expectsWhenAllowed: '400 validation_failed naming __probe',
      isAllowed: (r) => {
        const problem = problemIfAny(r);
        return (
          r.statusCode === 400 &&
          problem?.code === 'validation_failed' &&
          problem.errors.some((e) => e.path === '__probe')
        );
      },
    };
  }
  if (operation.method === 'DELETE' && operation.headerParams.includes('if-match')) {
    const url = withRequiredQuery(fillPath(operation.path, realOrInvented()), operation);
    return {
      request: { method: 'DELETE', url, headers: { 'if-match': '"999999"' } },
      ...notFoundOrElse(
        412,
        (r) => problemIfAny(r)?.code === 'version_conflict',
        '412 version_conflict',
      ),
    };
  }
  // A bodyless action: aim it at ids that do not exist inside the (real) package.
  const values = Object.fromEntries(
    operation.pathParams.map((p) => [
      p,
      p === 'id' ? fixtures.packageId : p === 'env' ? 'DEV' : inventId(p),
    ]),
  );
  const url = withRequiredQuery(fillPath(operation.path, values), operation);
  if (invented.length > 0) {
    return {
      request: { method: operation.method as InjectOptions['method'], url },
      expectsWhenAllowed: 'the service 404 for an invented id',
      isAllowed: (r) => isNotFoundOf(r, invented, fixtures.packageId),
    };
  }
  if (IDEMPOTENT_ON_LIVE_PACKAGE.includes(name)) {
    return {
      request: { method: operation.method as InjectOptions['method'], url },
      expectsWhenAllowed: '200 (no change on a live package)',
      isAllowed: (r) => r.statusCode === 200,
    };
  }
  throw new Error(`${name}: no side-effect-free probe for this route; add one to access-matrix`);
}

/** What the response says about the caller's access. */
function outcomeOf(response: InjectResponse, probe: Probe, packageId: string): string {
  if (probe.isAllowed(response)) return 'allowed';
  const problem = problemIfAny(response);
  const code = problem?.code ?? '';
  if (response.statusCode === 401 && (code === 'unauthenticated' || code === 'mfa_required'))
    return code;
  if (response.statusCode === 403 && (code === 'forbidden' || code === 'mfa_enrollment_required'))
    return code;
  if (
    response.statusCode === 404 &&
    (problem?.detail === hiddenPackageDetail(packageId) || problem?.detail === probe.hiddenDetail)
  )
    return 'hidden';
  return `unexpected ${response.statusCode} ${code} ${problem?.detail ?? response.body.slice(0, 160)} (allowed would be ${probe.expectsWhenAllowed})`;
}

function callerName(caller: Caller): string {
  const membership = caller.membership
    ? `${caller.membership} member of the package`
    : 'not a member of the package';
  return `${caller.role}, ${membership}`;
}

/** Route handlers as Nest registered them, with the permission metadata the guards read. */
function controllerRoutes(t: TestApp): { name: string; permission?: string; isPublic: boolean }[] {
  const reflector = t.app.get(Reflector);
  const routes: { name: string; permission?: string; isPublic: boolean }[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const segments = [base, path]
          .flatMap((part) => part.split('/'))
          .filter((part) => part !== '')
          .map((part) => part.replace(/^:(\w+)$/, '{$1}'));
        routes.push({
          name: `${method} /${segments.join('/')}`,
          permission: reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, [
            handler,
            controller,
          ]),
          isPublic:
            reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, [handler, controller]) ===
            true,
        });
      }
    }
  }
  return routes;
}

describe('access matrix: every OpenAPI operation × global role × package membership', () => {
  let t: TestApp;
  let operations: Operation[];
  let fixtures: Fixtures;
  const callers = new Map<string, TestUser>();
  let writesBefore: number;
  const auditedWrites = () =>
    t.db.count(`SELECT count(*)::int AS n FROM audit_log WHERE entity_type <> 'auth'`);
  const key = (c: Caller) => `${c.role}/${c.membership ?? '-'}/${c.mfa}`;

  beforeAll(async () => {
    t = await startTestApp();
    operations = await openApiOperations(t);
    const packageId = await createPackage(t, 'Matrix package');
    const elsewhere = await createPackage(t, 'Somewhere else');
    const assets = await createAssetOfEveryType(t, packageId, 'Matrix');
    const target = await t.createUser({ role: 'VIEWER' });
    fixtures = {
      packageId,
      assets: Object.fromEntries(
        ASSET_TYPES.map((type) => [assets[type].segment, assets[type].id]),
      ),
      userId: target.id,
    };
    const combinations = ROLES.flatMap((role) =>
      MEMBERSHIPS.map((membership) => ({ role, membership })),
    );
    await mapLimit(combinations, 4, async ({ role, membership }) => {
      // Non-members are members elsewhere: membership of another package must not count.
      const packages = membership
        ? { [packageId]: membership }
        : { [elsewhere]: 'ADMINISTRATOR' as Role };
      const enrolled = await t.createUser({ role, packages, mfa: true });
      callers.set(key({ role, membership, mfa: 'fresh' }), enrolled);
      callers.set(key({ role, membership, mfa: 'stale' }), await withStaleMfa(t, enrolled));
      if (membershipsFor('none').includes(membership)) {
        const notEnrolled = await t.createUser({ role, packages, mfa: false });
        callers.set(key({ role, membership, mfa: 'none' }), notEnrolled);
      }
    });
    writesBefore = await auditedWrites();
  });
  afterAll(() => t.close());

  const guarded = () => operations.filter((o) => !PUBLIC_OPERATIONS.includes(operationName(o)));

  it('publishes a known permission, or "public", on every operation', () => {
    expect(operations.length).toBeGreaterThan(20);
    const wrong = operations
      .filter((o) => o.permission !== 'public' && !isKnownPermission(o.permission))
      .map((o) => `${operationName(o)}: x-permission ${String(o.permission)}`);
    expect(wrong).toEqual([]);
  });

  it('publishes every controller route, and each carries a permission or @Public()', () => {
    const published = new Set(operations.map(operationName));
    const routes = controllerRoutes(t);
    expect(routes.length).toBe(operations.length);
    const problems = routes.flatMap((route) => [
      ...(published.has(route.name) || published.has(route.name.replace(' /', ' /api/'))
        ? []
        : [`${route.name}: not in the OpenAPI document`]),
      ...(route.isPublic || isKnownPermission(route.permission)
        ? []
        : [`${route.name}: no @RequirePermission() and not @Public()`]),
    ]);
    expect(problems).toEqual([]);
  });

  it('has exactly the expected public operations, and they answer without a token', async () => {
    const publicOperations = operations.filter((o) => o.permission === 'public');
    expect(publicOperations.map(operationName).sort()).toEqual([...PUBLIC_OPERATIONS].sort());
    const outcomes = await mapLimit(publicOperations, 8, async (operation) => {
      const probe = probeFor(operation, fixtures);
      const response = await t.request({ ...probe.request, as: null });
      return [operationName(operation), outcomeOf(response, probe, fixtures.packageId)];
    });
    expect(Object.fromEntries(outcomes)).toEqual(
      Object.fromEntries(publicOperations.map((o) => [operationName(o), 'allowed'])),
    );
  });

  it.each([
    ['no token', undefined],
    ['a malformed bearer token', 'Bearer not-a-jwt'],
    ['an unknown API token', 'Bearer ixt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('answers 401 unauthenticated to every other operation with %s', async (_, authorization) => {
    const outcomes = await mapLimit(guarded(), 8, async (operation) => {
      const probe = probeFor(operation, fixtures);
      const response = await t.request({
        ...probe.request,
        headers: { ...probe.request.headers, ...(authorization ? { authorization } : {}) },
        as: null,
      });
      return [operationName(operation), outcomeOf(response, probe, fixtures.packageId)];
    });
    expect(Object.fromEntries(outcomes)).toEqual(
      Object.fromEntries(guarded().map((o) => [operationName(o), 'unauthenticated'])),
    );
  });

  describe.each(MFA_STATES)('MFA %s', (mfa) => {
    const cases = CALLERS.filter((c) => c.mfa === mfa).map((c): [string, Caller] => [
      callerName(c),
      c,
    ]);

    // Membership matters only to package-scoped permissions: members are probed on those.
    it.each(cases)('%s: every operation answers as the matrix says', async (_, caller) => {
      const user = callers.get(key(caller));
      if (!user) throw new Error(`no user for ${key(caller)}`);
      const probed = guarded().filter(
        (o) => caller.membership === null || ruleOf(o.permission as Permission).scope === 'package',
      );
      const expected: Record<string, string> = {};
      const actual: Record<string, string> = {};
      await mapLimit(probed, 8, async (operation) => {
        const name = operationName(operation);
        const permission = operation.permission as Permission;
        expected[name] = expectedOutcome(permission, caller);
        const probe = probeFor(operation, fixtures);
        const response = await t.request({ ...probe.request, as: user });
        actual[name] = outcomeOf(response, probe, fixtures.packageId);
      });
      expect(actual).toEqual(expected);
    });
  });

  it('allows every permission that has a route to some caller (no route is dead)', () => {
    const routed = new Set(operations.map((o) => o.permission));
    const unreachable = PERMISSIONS.filter((p) => routed.has(p)).filter(
      (permission) => !CALLERS.some((caller) => expectedOutcome(permission, caller) === 'allowed'),
    );
    expect(unreachable).toEqual([]);
  });

  it('changed nothing while probing (no audited write happened)', async () => {
    expect(await auditedWrites()).toBe(writesBefore);
  });
});
