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

async function requestJson(url, headers, init) {
  const response = await fetch(url, {
    ...init,
    headers: { ...headers, ...init.headers },
    signal: AbortSignal.timeout(30000),
  }).catch((error) => {
    throw new Error(`${init.method ?? 'GET'} ${url}: ${error.cause?.message ?? error.message}`);
  });
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
 * every server, and the baseline (when there is one) must answer exactly what the API answers
 * (else it would not be doing the same work). Throws with the details otherwise. `init`: the
 * method, headers and body when not a plain GET.
 */
export async function verifyScenario(scenario, servers, path, init = {}) {
  const answers = {};
  const what = `${init.method ?? 'GET'} ${path}`;
  for (const [key, server] of Object.entries(servers)) {
    const { status, body } = await requestJson(server.url + path, server.headers, init);
    const problems =
      status === 200
        ? scenario.verify(body)
        : [`status ${status}: ${JSON.stringify(body).slice(0, 500)}`];
    if (problems.length > 0) {
      throw new Error(
        `${scenario.title}: ${what} on the ${server.name} is not what the scenario expects:\n  ` +
          problems.slice(0, 10).join('\n  '),
      );
    }
    answers[key] = body;
  }
  const difference = servers.baseline && firstDifference(answers.api, answers.baseline);
  if (difference) {
    throw new Error(`${scenario.title}: the baseline answers ${what} differently: ${difference}`);
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

let clockTicks;

/**
 * CPU time (user + system) a process has used so far, in ms; with `children`, what its exited
 * and waited-for child processes used. null where /proc is missing.
 */
export function cpuMs(pid, { children = false } = {}) {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const at = children ? 13 : 11;
    return ((Number(fields[at]) + Number(fields[at + 1])) * 1000) / clockTicks;
  } catch {
    return null;
  }
}

/** One autocannon run over `paths` in turn (shared by all connections). */
async function run({ url, pid, headers }, paths, { connections, duration }, init) {
  const cpuBefore = cpuMs(pid);
  let next = 0;
  const latencies = [];
  const instance = autocannon({
    url,
    connections,
    duration,
    headers: { ...headers, ...init.headers },
    requests: [
      {
        method: init.method ?? 'GET',
        body: init.body,
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

/**
 * Throughput (completed responses per second) and latency percentiles over every response. A run
 * without per-response latencies (a command-line baseline) gives its `requests` instead.
 */
function combine(runs) {
  const sorted = Float64Array.from(runs.flatMap((r) => r.latencies)).sort();
  const total = (key) => runs.reduce((sum, r) => sum + r[key], 0);
  const requests = runs.reduce((sum, r) => sum + (r.requests ?? r.latencies.length), 0);
  const seconds = total('seconds');
  return {
    requests,
    seconds,
    rps: requests / seconds,
    cpuMsPerRequest: total('cpuMs') / requests,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    non2xx: total('non2xx'),
    errors: total('errors'),
    timeouts: total('timeouts'),
  };
}

/**
 * An in-process run for measureAbba: `concurrency` loops calling `call(i)` (i counts up across
 * the loops) for `seconds`; `call` returns, or resolves to, whether the answer was the expected
 * one. Latency per call; CPU time of the whole process, worker threads included.
 */
export async function timedLoop(call, seconds, concurrency = 1) {
  const latencies = [];
  let next = 0;
  let errors = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const called = performance.now();
      let ok = call(next++);
      if (ok instanceof Promise) ok = await ok; // a synchronous call stays synchronous
      latencies.push(performance.now() - called);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const used = process.cpuUsage(cpu);
  return {
    latencies,
    seconds: (performance.now() - start) / 1000,
    cpuMs: (used.user + used.system) / 1000,
    non2xx: 0,
    errors,
    timeouts: 0,
  };
}

/**
 * A sequential run for measureAbba where `fn` returns the milliseconds of the part to time:
 * throughput is 1 / that part's mean time, latencies are that part's.
 */
export async function timedOnly(fn, seconds) {
  const latencies = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) latencies.push(await fn());
  const busy = latencies.reduce((sum, ms) => sum + ms, 0) / 1000;
  return { latencies, seconds: busy, cpuMs: NaN, non2xx: 0, errors: 0, timeouts: 0 };
}

/**
 * Measures each side (`measure(seconds)` → a run): a warm-up each (discarded), then the measured
 * time in two halves in ABBA order (A, B, B, A), so a change in background load during the run
 * does not favour whichever side went first.
 */
export async function measureAbba(sides, { duration, warmup }) {
  const entries = Object.entries(sides);
  if (warmup > 0) {
    for (const [, measure] of entries) await measure(warmup);
  }
  const runs = {};
  for (const [key, measure] of [...entries, ...[...entries].reverse()]) {
    (runs[key] ??= []).push(await measure(duration / 2));
  }
  return Object.fromEntries(Object.entries(runs).map(([key, list]) => [key, combine(list)]));
}

/**
 * Measures every server on the same request paths with autocannon (see measureAbba). Latencies
 * are kept per response (autocannon's own histogram has 1 ms resolution and no p95). The server
 * process's CPU time per response is the framework's cost, and unlike req/s it hardly changes
 * with other load. `init`: the method, headers and body when not a plain GET.
 */
export function measureServers(servers, paths, { connections, duration, warmup }, init = {}) {
  const sides = Object.fromEntries(
    Object.entries(servers).map(([key, server]) => [
      key,
      (seconds) => run(server, paths, { connections, duration: seconds }, init),
    ]),
  );
  return measureAbba(sides, { duration, warmup });
}
