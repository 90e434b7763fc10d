import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import autocannon from 'autocannon';

/** The first position where two JSON values differ (key order ignored), or null when equal. */
function firstDifference(a, b, path = '$') {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const difference = firstDifference(a[key], b[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return null;
}

async function getJson(url, headers) {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(30000) });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

/**
 * Before measuring: the first request of the scenario must answer 200 with the expected shape on
 * every server, and the baseline must answer exactly what the API answers (else it would not be
 * doing the same work). Throws with the details otherwise.
 */
export async function verifyScenario(scenario, servers, path) {
  const answers = {};
  for (const [key, server] of Object.entries(servers)) {
    const { status, body } = await getJson(server.url + path, server.headers);
    const problems =
      status === 200
        ? scenario.verify(body)
        : [`status ${status}: ${JSON.stringify(body).slice(0, 500)}`];
    if (problems.length > 0) {
      throw new Error(
        `${scenario.title}: GET ${path} on the ${server.name} is not what the scenario expects:\n  ` +
          problems.slice(0, 10).join('\n  '),
      );
    }
    answers[key] = body;
  }
  const difference = firstDifference(answers.api, answers.baseline);
  if (difference) {
    throw new Error(
      `${scenario.title}: the baseline answers GET ${path} differently: ${difference}`,
    );
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

let clockTicks;

/** CPU time (user + system) a process has used so far, in ms; null where /proc is missing. */
function cpuMs(pid) {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return null;
  }
}

/** One autocannon run over `paths` in turn (shared by all connections). */
async function run({ url, pid, headers }, paths, { connections, duration }) {
  const cpuBefore = cpuMs(pid);
  let next = 0;
  const latencies = [];
  const instance = autocannon({
    url,
    connections,
    duration,
    headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }),
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await instance;
  const cpuAfter = cpuMs(pid);
  return {
    latencies,
    seconds: result.duration,
    cpuMs: cpuBefore === null || cpuAfter === null ? NaN : cpuAfter - cpuBefore,
    ...pick(result, ['non2xx', 'errors', 'timeouts']),
  };
}

const pick = (object, keys) => Object.fromEntries(keys.map((key) => [key, object[key]]));

/** Throughput (completed responses per second) and latency percentiles over every response. */
function combine(runs) {
  const sorted = Float64Array.from(runs.flatMap((r) => r.latencies)).sort();
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const total = (key) => runs.reduce((sum, r) => sum + r[key], 0);
  return {
    requests: sorted.length,
    seconds,
    rps: sorted.length / seconds,
    cpuMsPerRequest: total('cpuMs') / sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    non2xx: total('non2xx'),
    errors: total('errors'),
    timeouts: total('timeouts'),
  };
}

/**
 * Measures every server on the same request paths: a warm-up each (discarded), then the measured
 * time in two halves in ABBA order (API, baseline, baseline, API), so a change in background load
 * during the run does not favour whichever server went first. Latencies are kept per response
 * (autocannon's own histogram has 1 ms resolution and no p95). The server process's CPU time per
 * response is the framework's cost, and unlike req/s it hardly changes with other load.
 */
export async function measureServers(servers, paths, { connections, duration, warmup }) {
  const entries = Object.entries(servers);
  if (warmup > 0) {
    for (const [, server] of entries) await run(server, paths, { connections, duration: warmup });
  }
  const runs = {};
  for (const [key, server] of [...entries, ...[...entries].reverse()]) {
    (runs[key] ??= []).push(await run(server, paths, { connections, duration: duration / 2 }));
  }
  return Object.fromEntries(Object.entries(runs).map(([key, list]) => [key, combine(list)]));
}
