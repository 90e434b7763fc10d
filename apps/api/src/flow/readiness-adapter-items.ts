import { type AdapterEnvironmentsService } from '../adapter/adapter-environments.service';
import { type ConnectionTestResultDto } from '../adapter/dto/adapter-views.dto';
import { AppError } from '../core/errors/app-error';
import { named, say, type KnownAsset } from './readiness-assets';
import { type ReadinessItem } from './readiness-types';

/** How the adapter checks are run: which environment, and how connection tests are judged. */
export interface AdapterCheckContext {
  environment: string;
  /** Run the tests now; adapters the caller may not test (`mayTest`) use their last result. */
  live: boolean;
  mayTest: (adapter: KnownAsset) => boolean;
  maxAgeMinutes: number;
  timeoutSeconds: number;
  now: Date;
}

/** What the configuration check learnt that the connection check needs. */
export interface ConfigurationCheck {
  item: ReadinessItem;
  lastTest: ConnectionTestResultDto | null;
}

/**
 * The configuration line for one adapter: complete in the environment (the adapter module's
 * effective configuration and its `missing` list, secrets included); no overlay there is a
 * warning (it runs with its base configuration). `version`: the adapter's pinned version
 * (a deployment's), checked instead of the current one.
 */
export async function configurationItem(
  adapters: AdapterEnvironmentsService,
  adapter: KnownAsset,
  env: string,
  version?: number,
): Promise<ConfigurationCheck> {
  const asset = named(adapter);
  const effective = await adapters.effective(adapter.packageId, adapter.id, env, version);
  const overlay = await adapters.getOverlay(adapter.packageId, adapter.id, env);
  const key = 'adapter-configuration' as const;
  let item: ReadinessItem;
  if (effective.missing.length > 0)
    item = {
      key,
      status: 'fail',
      explanation: `${say(adapter)} is not configured for ${env}: ${effective.missing.join('; ')}`,
      fixHint: `Complete ${say(adapter)} for ${env}: set the missing values in its ${env} overlay (PUT …/adapters/${adapter.id}/environments/${env}) and its secrets (POST …/adapters/${adapter.id}/credentials).`,
      asset,
    };
  else if (Object.keys(overlay.values).length === 0)
    item = {
      key,
      status: 'warn',
      explanation: `${say(adapter)} has no ${env} overlay: it runs there with its base configuration`,
      fixHint: `If ${env} needs other values (host, folder, URL), set them in the ${env} overlay of ${say(adapter)}.`,
      asset,
    };
  else
    item = {
      key,
      status: 'pass',
      explanation: `${say(adapter)} is fully configured for ${env} (overlay and secrets set)`,
      fixHint: null,
      asset,
    };
  return { item, lastTest: effective.lastTest };
}

/**
 * The connection line for one adapter: a passing test within the configured age, or one run now
 * (`live`, with a timeout). Skipped while the configuration is incomplete.
 */
export async function connectionItem(
  adapters: AdapterEnvironmentsService,
  adapter: KnownAsset,
  configuration: ConfigurationCheck,
  ctx: AdapterCheckContext,
): Promise<ReadinessItem> {
  if (configuration.item.status === 'fail')
    return {
      key: 'connection-test',
      status: 'skipped',
      explanation: `${say(adapter)} cannot be tested in ${ctx.environment} until its configuration is complete`,
      fixHint: `Complete the ${ctx.environment} configuration of ${say(adapter)} first, then test its connection.`,
      asset: named(adapter),
    };
  if (ctx.live && ctx.mayTest(adapter)) return liveTest(adapters, adapter, ctx);
  const item = recordedTest(adapter, configuration.lastTest, ctx);
  return ctx.live
    ? {
        ...item,
        explanation: `${item.explanation} (its recorded result: you may not run connection tests in its package)`,
      }
    : item;
}

function recordedTest(
  adapter: KnownAsset,
  last: ConnectionTestResultDto | null,
  ctx: AdapterCheckContext,
): ReadinessItem {
  const env = ctx.environment;
  const asset = named(adapter);
  const rerun = `Test the connection of ${say(adapter)} in ${env} (POST …/adapters/${adapter.id}/test?environment=${env}) or check readiness with live=true.`;
  if (!last)
    return {
      key: 'connection-test',
      status: 'fail',
      explanation: `${say(adapter)} has never been tested in ${env}`,
      fixHint: rerun,
      asset,
    };
  if (!last.ok) return failedTest(adapter, last, env, rerun);
  const ageMinutes = (ctx.now.getTime() - Date.parse(last.testedAt)) / 60_000;
  if (ageMinutes > ctx.maxAgeMinutes)
    return {
      key: 'connection-test',
      status: 'fail',
      explanation: `the last passing connection test of ${say(adapter)} in ${env} (${last.testedAt}) is older than ${ctx.maxAgeMinutes} minutes`,
      fixHint: rerun,
      asset,
    };
  return {
    key: 'connection-test',
    status: 'pass',
    explanation: `${say(adapter)} passed its connection test in ${env} at ${last.testedAt}`,
    fixHint: null,
    asset,
  };
}

function failedTest(
  adapter: KnownAsset,
  result: ConnectionTestResultDto,
  env: string,
  hint: string,
): ReadinessItem {
  const step = result.steps.find((s) => s.status === 'failed');
  return {
    key: 'connection-test',
    status: 'fail',
    explanation: `${say(adapter)} failed its connection test in ${env}${step ? ` at step "${step.step}": ${step.message}` : ''}`,
    fixHint: `Fix what the test reports (address, credentials, folder or firewall) for ${env}, then: ${hint}`,
    asset: named(adapter),
  };
}

async function liveTest(
  adapters: AdapterEnvironmentsService,
  adapter: KnownAsset,
  ctx: AdapterCheckContext,
): Promise<ReadinessItem> {
  const env = ctx.environment;
  const rerun = `Test the connection of ${say(adapter)} in ${env} again.`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ctx.timeoutSeconds * 1000);
  });
  try {
    const run = await adapters.prepareTest(adapter.packageId, adapter.id, env);
    // The test goes on (and its result is kept) when the gate stops waiting for it.
    const outcome = await Promise.race([run(), timeout]);
    if (outcome === 'timeout')
      return {
        key: 'connection-test',
        status: 'fail',
        explanation: `the connection test of ${say(adapter)} in ${env} did not finish within ${ctx.timeoutSeconds} s`,
        fixHint: `Check that the ${env} endpoint of ${say(adapter)} answers; ${rerun}`,
        asset: named(adapter),
      };
    if (!outcome.ok) return failedTest(adapter, outcome, env, rerun);
    return {
      key: 'connection-test',
      status: 'pass',
      explanation: `${say(adapter)} passed its connection test in ${env} just now`,
      fixHint: null,
      asset: named(adapter),
    };
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return {
      key: 'connection-test',
      status: 'fail',
      explanation: `${say(adapter)} cannot be tested in ${env}: ${error.message}`,
      fixHint: `Complete the ${env} configuration of ${say(adapter)}, then ${rerun}`,
      asset: named(adapter),
    };
  } finally {
    clearTimeout(timer);
  }
}
