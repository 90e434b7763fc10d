import { spawn, spawnSync } from 'node:child_process';

import { cpuMs } from './load.mjs';

/** The libxml2 version xmllint uses ("libxml2 2.9.14"), or null when xmllint is not installed. */
export function xmllintVersion() {
  const result = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  if (result.error) return null;
  const number = Number(/libxml version (\d+)/.exec(result.stderr)?.[1]);
  if (!number) return result.stderr.split('\n')[0].trim();
  return `libxml2 ${Math.floor(number / 10000)}.${Math.floor(number / 100) % 100}.${number % 100}`;
}

/** One `xmllint --noout --schema` process; rejects unless it exits 0 (every document valid). */
function xmllint(cwd, schema, files) {
  return new Promise((resolve, reject) => {
    const child = spawn('xmllint', ['--noout', '--schema', schema, ...files], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`xmllint exited with ${code}:\n${stderr}`));
    });
  });
}

/** Runs `processes` xmllint processes at once over `files`; wall-clock seconds and their CPU ms. */
async function timedBatch(processes, cwd, schema, files) {
  const cpuBefore = cpuMs(process.pid, { children: true });
  const start = performance.now();
  await Promise.all(Array.from({ length: processes }, () => xmllint(cwd, schema, files)));
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = cpuMs(process.pid, { children: true });
  return { seconds, cpuMs: cpuBefore === null || cpuAfter === null ? NaN : cpuAfter - cpuBefore };
}

/**
 * Per-document xmllint throughput without process startup and schema compile: each round runs
 * `processes` processes at once over the documents once (short), then over them 1 + `repeat`
 * times (long); the long run's extra time and CPU are `repeat` × documents per process. Returns
 * `measure(seconds)` for measureAbba, and the short runs' times (startup + compile + documents
 * once), in ms.
 */
export function xmllintBaseline({ cwd, schema, documents, processes, repeat }) {
  const long = Array.from({ length: repeat + 1 }, () => documents).flat();
  const shortMs = [];
  const measure = async (seconds) => {
    const run = { latencies: [], requests: 0, seconds: 0, cpuMs: 0 };
    const end = performance.now() + seconds * 1000;
    do {
      const a = await timedBatch(processes, cwd, schema, documents);
      const b = await timedBatch(processes, cwd, schema, long);
      shortMs.push(a.seconds * 1000);
      run.requests += processes * repeat * documents.length;
      run.seconds += b.seconds - a.seconds;
      run.cpuMs += b.cpuMs - a.cpuMs;
    } while (performance.now() < end);
    return { ...run, non2xx: 0, errors: 0, timeouts: 0 };
  };
  return { measure, shortMs };
}
