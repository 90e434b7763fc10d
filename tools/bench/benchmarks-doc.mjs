import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT } from './api-dist.mjs';

export const DOC = path.join(ROOT, 'docs/benchmarks.md');
const MARKER = '<!-- bench:results (npm run bench adds each run below this line, newest first) -->';

const INTRO = `# Benchmarks

\`npm run bench\` load-tests the package library API against a **baseline**: a minimal raw Fastify +
\`pg\` server (\`tools/bench/baseline-server.mjs\`) that sends the same SQL as the API, with the same
pool size, and answers the same JSON. The difference is what Nest, validation, TypeORM and our hooks
cost on top of the queries themselves.

## How to run

\`\`\`sh
npm run bench                                       # embedded PostgreSQL in a temporary directory
DATABASE_URL=postgres://user@host/db npm run bench  # creates, and afterwards drops, integrixs_bench there
npm run bench -- --duration 5 --connections 32      # also --warmup, --packages, --assets, --no-docs
npm run bench -- packages                           # scenario groups (tools/bench/scenarios/)
npm run bench -- schemas                            # schema validation (needs xmllint, see below)
npm run bench -- mappings                           # mapping transformations (UBL → JSON)
\`\`\`

A run builds the API (\`npx nx run api:build\`), migrates a fresh database with the API's migrator,
seeds 1,000 packages × 100 assets with set-based SQL (each asset with its type's detail row and one
version), starts the built API and the baseline as child processes, checks that both answer each
scenario's first request with the same, expected JSON, then runs autocannon against both (warm-up,
then the measured run) and adds a dated section to the top of the results below. It is a
measurement, not a test: it exits 0 even when a target is missed, and says which.

## Targets

| Scenario                                                        | Target                                        |
| --------------------------------------------------------------- | --------------------------------------------- |
| List packages with counts: \`GET /api/packages?limit=50\`         | ≥ 50% of the baseline's req/s and p99 < 25 ms |
| Container contents: \`GET /api/packages/{id}/container/contents\` | ≥ 50% of the baseline's req/s and p99 < 25 ms |
| Full-text asset search: \`GET /api/assets?q={word}&limit=50\`     | p95 < 50 ms                                   |
| UBL Invoice XSD validation, in process (\`schemas\`) | ≥ 80% of xmllint's documents per second |
| JSON Schema validation, in process (\`schemas\`) | ≥ 80% of raw ajv's documents per second |
| Validate a UBL Invoice: \`POST /api/packages/{id}/schemas/{schemaId}/validate\`, 16 connections | p99 < 20 ms |

Every response must also be a 2xx.

The \`schemas\` group measures the schema engine of the built API in the bench process against
baselines run in the same run on the same documents: \`xmllint --schema\` for XSD (install it with
\`apt-get install libxml2-utils\`; without it the XSD rows have no baseline and say so) and raw
ajv for JSON Schema; then the validate endpoint over HTTP. It reads the SchemaStore documents from
\`../shared/corpus/jsonschema\` next to the repository, as the API's tests do.

## Reading the numbers

- autocannon keeps every connection busy (a closed loop), so latency ≈ connections ÷ throughput:
  with 32 connections, p99 < 25 ms needs well over 32 ÷ 0.025 s = 1,280 req/s. On a small machine
  the latency targets are mostly a throughput requirement.
- **CPU ms/req** is the CPU time the server process spent per response: the most direct view of
  what the framework costs. It moves less than req/s and latency when other work shares the
  machine, but it moves too. Runs on different machines, or while the machine was busy (see the
  load average and the note in a section), are not comparable.

## Results

${MARKER}
`;

function section({ date, groups, machine, database, dataset, method, table, notes = [], missed }) {
  const verdict =
    missed.length === 0
      ? '**All targets met.**'
      : ['**Missed targets:**', '', ...missed.map((line) => `- ${line}`)].join('\n');
  const note = machine.busyWarning ? `\n> **Note:** ${machine.busyWarning}.\n` : '';
  const notesList = notes.map((line) => `- ${line}\n`).join('');
  return `### ${date} — ${groups.join(', ')}
${note}
- **Machine:** ${machine.cpus} CPUs (\`nproc\`), ${machine.memory} memory, ${machine.cpuModel}; Node ${machine.node}; load average at start ${machine.loadAverage}.
- **PostgreSQL:** ${machine.postgres}; ${database}.
- **Dataset:** ${dataset}
- **Method:** ${method}

${table}

${notesList && `${notesList}\n`}${verdict}
`;
}

async function formatMarkdown(text) {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(DOC)) ?? {};
    return await prettier.format(text, { ...options, filepath: DOC });
  } catch (error) {
    console.warn(`(docs/benchmarks.md left unformatted: ${error.message})`);
    return text;
  }
}

/** Adds the run as the newest section of docs/benchmarks.md, keeping the intro and older runs. */
export async function writeBenchmarksDoc(run) {
  const existing = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
  const at = existing.indexOf(MARKER);
  const [head, older] =
    at >= 0
      ? [existing.slice(0, at + MARKER.length), existing.slice(at + MARKER.length)]
      : [INTRO.trimEnd(), existing ? `\n\n${existing}` : ''];
  const text = `${head}\n\n${section(run)}${older.replace(/^\s*/, '\n')}`;
  writeFileSync(DOC, await formatMarkdown(text));
  return DOC;
}
