/** Verdicts against the targets, and the results table as plain text and as Markdown. */

const ms = (value) => (Number.isFinite(value) ? value.toFixed(1) : '–');
const rps = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');
const percent = (value, digits = 0) =>
  Number.isFinite(value) ? `${(value * 100).toFixed(digits)}%` : '–';
const failed = (stats) => stats.non2xx + stats.errors + stats.timeouts;

/** Human-readable targets: "≥ 50% of baseline req/s, p99 < 25 ms". */
export function describeTargets(targets) {
  const parts = [];
  if (targets.minThroughputRatio !== undefined) {
    parts.push(`≥ ${percent(targets.minThroughputRatio)} of baseline req/s`);
  }
  if (targets.minRps !== undefined) parts.push(`≥ ${rps(targets.minRps)} req/s`);
  if (targets.maxCpuRatio !== undefined) {
    parts.push(`CPU/req ≤ ${targets.maxCpuRatio}× baseline's`);
  }
  if (targets.minThroughputOf !== undefined) {
    const { scenario, ratio } = targets.minThroughputOf;
    parts.push(`≥ ${percent(ratio)} of ${scenario} req/s`);
  }
  if (targets.maxP95Ms !== undefined) parts.push(`p95 < ${targets.maxP95Ms} ms`);
  if (targets.maxP99Ms !== undefined) parts.push(`p99 < ${targets.maxP99Ms} ms`);
  for (const limit of targets.atMost ?? [])
    parts.push(`${limit.label} ≤ ${limit.max}${limit.unit}`);
  return parts.join(', ');
}

/**
 * PASS when every target holds and every API response was a 2xx; otherwise FAIL with reasons.
 * `baseline` may be missing (no baseline server), or `{ missing: reason }` when it could not run;
 * `peers`: the API stats of the scenarios measured before, by id (for `minThroughputOf`).
 */
export function evaluate(targets, api, baseline, peers = {}) {
  const ratio = api.rps / baseline?.rps;
  const missed = [];
  if (baseline?.missing) missed.push(`no baseline: ${baseline.missing}`);
  else if (targets.minThroughputRatio !== undefined && !(ratio >= targets.minThroughputRatio)) {
    missed.push(
      `throughput ${percent(ratio, 1)} of the baseline's < ${percent(targets.minThroughputRatio)}`,
    );
  }
  if (targets.minRps !== undefined && !(api.rps >= targets.minRps)) {
    missed.push(`throughput ${rps(api.rps)} req/s < ${rps(targets.minRps)}`);
  }
  const cpuRatio = api.cpuMsPerRequest / baseline?.cpuMsPerRequest;
  if (
    targets.maxCpuRatio !== undefined &&
    !baseline?.missing &&
    !(cpuRatio <= targets.maxCpuRatio)
  ) {
    missed.push(`CPU/req ${cpuRatio.toFixed(2)}× the baseline's > ${targets.maxCpuRatio}×`);
  }
  if (targets.minThroughputOf !== undefined) {
    const { scenario, ratio: wanted } = targets.minThroughputOf;
    const peer = peers[scenario];
    const of = api.rps / peer?.rps;
    if (!peer) missed.push(`${scenario} was not measured in this run`);
    else if (!(of >= wanted)) {
      missed.push(`throughput ${percent(of, 1)} of ${scenario}'s < ${percent(wanted)}`);
    }
  }
  if (targets.maxP95Ms !== undefined && !(api.p95 < targets.maxP95Ms)) {
    missed.push(`p95 ${ms(api.p95)} ms ≥ ${targets.maxP95Ms} ms`);
  }
  if (targets.maxP99Ms !== undefined && !(api.p99 < targets.maxP99Ms)) {
    missed.push(`p99 ${ms(api.p99)} ms ≥ ${targets.maxP99Ms} ms`);
  }
  // Measured values other than timings (bundle size, rendered rows): `api[key]` ≤ `max`.
  for (const { key, max, label, unit } of targets.atMost ?? []) {
    const value = api[key];
    if (!(value <= max)) missed.push(`${label} ${ms(value)}${unit} > ${max}${unit}`);
  }
  if (failed(api) > 0) missed.push(`${failed(api)} responses were not 2xx or failed`);
  return { ratio, pass: missed.length === 0, missed };
}

const HEADER = [
  'Scenario',
  'Server',
  'req/s',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'CPU ms/req',
  'non-2xx/errors',
  'API/baseline',
  'Target',
  'Result',
];
const NUMERIC = new Set([2, 3, 4, 5, 6, 7, 8]);

function serverCells(stats) {
  return [
    rps(stats.rps),
    ms(stats.p50),
    ms(stats.p95),
    ms(stats.p99),
    Number.isFinite(stats.cpuMsPerRequest) ? stats.cpuMsPerRequest.toFixed(2) : '–',
    Number.isFinite(failed(stats)) ? String(failed(stats)) : '–',
  ];
}

/** Two rows per result (one without a baseline); `labels` name the sides when not API/baseline. */
function rows(results) {
  return results.flatMap((r) => {
    const [api, baseline] = r.labels ?? ['API', 'baseline'];
    const targets = describeTargets(r.targets);
    // A row without targets is a comparison for reading, not a verdict.
    const result = !targets ? '–' : r.pass ? 'PASS' : 'FAIL';
    const verdict = [percent(r.ratio, 1), targets || 'none (for reading)', result];
    const first = [r.title, api, ...serverCells(r.api), ...verdict];
    return r.baseline ? [first, ['', baseline, ...serverCells(r.baseline), '', '', '']] : [first];
  });
}

export function textTable(results) {
  const table = [HEADER, ...rows(results)];
  const widths = HEADER.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row) =>
    row
      .map((cell, c) => (NUMERIC.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [
    line(HEADER),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows(results).map(line),
  ].join('\n');
}

export function markdownTable(results) {
  const line = (row) => `| ${row.join(' | ')} |`;
  const align = HEADER.map((_, c) => (NUMERIC.has(c) ? '---:' : '---'));
  return [line(HEADER), line(align), ...rows(results).map(line)].join('\n');
}

/** "Missed targets" lines, one per failing scenario; empty when everything passed. */
export function missedTargets(results) {
  return results.filter((r) => !r.pass).map((r) => `${r.title}: ${r.missed.join('; ')}`);
}
