import { json, type TestApp, type TestUser } from './test-app';

/** A connection test as `POST .../adapters/{id}/test` answers it. */
export interface ConnectionTest {
  environment: string;
  ok: boolean;
  steps: { step: string; status: string; durationMs: number; message: string }[];
  testedAt: string;
  testedBy: string;
}

/** `step:status` for each step, in order. */
export const summary = (r: ConnectionTest): string[] => r.steps.map((s) => `${s.step}:${s.status}`);

/** The one failed step (a failure skips every later one). */
export const failedStep = (r: ConnectionTest) => r.steps.find((s) => s.status === 'failed');

/** Creates an adapter through the API (expects 201) and answers its URL. */
export async function createAdapter(
  t: TestApp,
  packageId: string,
  body: Record<string, unknown>,
): Promise<string> {
  const response = await t.request({
    method: 'POST',
    url: `/api/packages/${packageId}/adapters`,
    payload: body,
  });
  if (response.statusCode !== 201)
    throw new Error(`creating adapter: ${response.statusCode} ${response.body}`);
  return `/api/packages/${packageId}/adapters/${json<{ id: string }>(response).id}`;
}

/** Sets overlay values in an environment (expects 200). */
export async function putOverlay(
  t: TestApp,
  adapterUrl: string,
  environment: string,
  values: Record<string, unknown>,
): Promise<void> {
  const response = await t.request({
    method: 'PUT',
    url: `${adapterUrl}/environments/${environment}`,
    payload: { values },
  });
  if (response.statusCode !== 200)
    throw new Error(`overlay ${environment}: ${response.statusCode} ${response.body}`);
}

/** Sets secrets (by JSON pointer) in an environment (expects 200). */
export async function setSecrets(
  t: TestApp,
  adapterUrl: string,
  environment: string,
  secrets: Record<string, string>,
): Promise<void> {
  const response = await t.request({
    method: 'POST',
    url: `${adapterUrl}/credentials`,
    payload: { environment, secrets },
  });
  if (response.statusCode !== 200)
    throw new Error(`credentials ${environment}: ${response.statusCode} ${response.body}`);
}

/**
 * Runs the connection test over HTTP (expects 200) and checks the shape every answer has: steps
 * with a whole, non-negative duration and a plain explanation; after a failure only skips.
 */
export async function connectionTest(
  t: TestApp,
  adapterUrl: string,
  environment: string,
  options: { as?: TestUser; sendTestTo?: string; callWith?: Record<string, unknown> } = {},
): Promise<ConnectionTest> {
  const payload = { sendTestTo: options.sendTestTo, callWith: options.callWith };
  const response = await t.request({
    method: 'POST',
    url: `${adapterUrl}/test?environment=${environment}`,
    ...(payload.sendTestTo || payload.callWith ? { payload } : {}),
    ...(options.as ? { as: options.as } : {}),
  });
  if (response.statusCode !== 200)
    throw new Error(`test in ${environment}: ${response.statusCode} ${response.body}`);
  const result = json<ConnectionTest>(response);
  expect(result.environment).toBe(environment);
  for (const step of result.steps) {
    expect(Number.isInteger(step.durationMs) && step.durationMs >= 0).toBe(true);
    expect(step.message.trim().length).toBeGreaterThan(0);
  }
  const failed = result.steps.findIndex((s) => s.status === 'failed');
  expect(result.ok).toBe(failed < 0);
  if (failed >= 0)
    expect(result.steps.slice(failed + 1).every((s) => s.status === 'skipped')).toBe(true);
  return result;
}

/** The last result kept for the adapter in the environment (`GET .../test?environment=`). */
export async function keptTest(
  t: TestApp,
  adapterUrl: string,
  environment: string,
): Promise<ConnectionTest | null> {
  const response = await t.request({
    method: 'GET',
    url: `${adapterUrl}/test?environment=${environment}`,
  });
  expect(response.statusCode).toBe(200);
  return json<{ lastTest: ConnectionTest | null }>(response).lastTest;
}

/** Each environment's kept result is the last one run there, by whom and when. */
export async function expectKept(
  t: TestApp,
  adapterUrl: string,
  results: ConnectionTest[],
): Promise<void> {
  for (const result of results)
    expect(await keptTest(t, adapterUrl, result.environment)).toEqual(result);
}
