/** Command-line options of `npm run bench`: `[group ...] [--duration s] [--connections n] ...`. */

export const DEFAULTS = {
  groups: ['packages'],
  duration: 10,
  warmup: 3,
  connections: 32,
  packages: 1000,
  assetsPerPackage: 100,
  docs: true,
};

export const USAGE = `Usage: npm run bench -- [group ...] [options]

Seeds a throwaway database, starts the built API and a raw Fastify + pg baseline answering the
same SQL, load-tests both with autocannon and writes the results to docs/benchmarks.md.

Groups (default: packages): packages, schemas, mappings, queue, runtime; see tools/bench/scenarios/index.mjs.

Options:
  --duration <s>        measured seconds per scenario and server   (default ${DEFAULTS.duration})
  --warmup <s>          warm-up seconds before each measurement     (default ${DEFAULTS.warmup})
  --connections <n>     concurrent autocannon connections           (default ${DEFAULTS.connections})
  --packages <n>        packages to seed                            (default ${DEFAULTS.packages})
  --assets <n>          assets per package to seed                  (default ${DEFAULTS.assetsPerPackage})
  --scenario <id>       run only this scenario (repeatable), e.g. --scenario asset-search
  --no-docs             print the results only; leave docs/benchmarks.md alone
  -h, --help            show this help

Environment:
  DATABASE_URL          a PostgreSQL server to use (a database "integrixs_bench" is created on it
                        and dropped afterwards); unset: an embedded PostgreSQL in a temp directory
  BENCH_DATABASE        the database to create there instead of "integrixs_bench" (for runs
                        sharing one server)`;

export class UsageError extends Error {}

const NUMERIC = {
  '--duration': ['duration', 1],
  '--warmup': ['warmup', 0],
  '--connections': ['connections', 1],
  '--packages': ['packages', 1],
  '--assets': ['assetsPerPackage', 1],
};

/** Parses argv (without node and the script); throws UsageError on anything it does not know. */
export function parseOptions(argv) {
  const options = { ...DEFAULTS, groups: [], scenarios: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '-h' || flag === '--help') options.help = true;
    else if (flag === '--no-docs') options.docs = false;
    else if (flag === '--scenario') {
      const id = inline ?? argv[++i];
      if (!id) throw new UsageError('--scenario needs a scenario id');
      options.scenarios.push(id);
    } else if (flag in NUMERIC) {
      const [key, min] = NUMERIC[flag];
      const raw = inline ?? argv[++i];
      const value = Number(raw);
      if (raw === undefined || !Number.isInteger(value) || value < min) {
        throw new UsageError(`${flag} needs a whole number ≥ ${min}, got "${raw ?? ''}"`);
      }
      options[key] = value;
    } else if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
    else options.groups.push(flag);
  }
  if (options.groups.length === 0) options.groups = [...DEFAULTS.groups];
  return options;
}
