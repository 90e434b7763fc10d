/**
 * Mapping worker for MappingRunner (mapping-runner.ts), speaking the schema engine's WorkerPool
 * protocol (compile once, run many; see libs/schema-engine/src/workers/worker-pool.ts): a
 * `compile` prepares a mapping under a key, a `validate` runs it on one input (XML is read into
 * the canonical view here; a reply `needs` lists source fields to expand, which the runner sends
 * back as `expansions` with the same input). Runaway work is
 * stopped from outside: the pool terminates this thread past the time limit, and V8 stops it at
 * the memory cap (`resourceLimits`). Replies keep the order of the requests, as the pool needs.
 * Nothing here may load a native module (see evaluate.ts).
 */
import { parentPort } from 'node:worker_threads';

import { MappingCompileError } from '../jsonata/mapping-model';
import {
  prepareEvaluation,
  type Evaluation,
  type Expansions,
  type WorkerDefinition,
} from './evaluate';

interface Message {
  id: number;
  op: 'compile' | 'validate' | 'release';
  key: string;
  keep?: boolean;
  definition?: WorkerDefinition;
  input?: unknown;
  expansions?: Expansions;
}

const prepared = new Map<string, Evaluation>();

async function handle(message: Message): Promise<Record<string, unknown>> {
  switch (message.op) {
    case 'compile':
      try {
        const evaluation = prepareEvaluation(message.definition as WorkerDefinition);
        if (message.keep) prepared.set(message.key, evaluation);
        return { ok: true, diagnostics: [] };
      } catch (error) {
        if (error instanceof MappingCompileError) return { ok: false, diagnostics: error.problems };
        return {
          ok: false,
          diagnostics: [{ location: 'mapping', message: (error as Error).message }],
        };
      }
    case 'validate': {
      const evaluation = prepared.get(message.key);
      if (!evaluation) return { missing: true };
      const started = performance.now();
      try {
        const result = await evaluation.run(message.input, message.expansions);
        return { ...result, durationMs: performance.now() - started };
      } catch (error) {
        const e = error as Error & { location?: string; position?: number; path?: string };
        return {
          failure: {
            name: e.name,
            message: e.message,
            location: e.location,
            position: e.position,
            path: e.path,
          },
          durationMs: performance.now() - started,
        };
      }
    }
    case 'release':
      prepared.delete(message.key);
      return {};
  }
}

let chain: Promise<void> = Promise.resolve();
parentPort?.on('message', (message: Message) => {
  chain = chain.then(async () => {
    let reply: Record<string, unknown>;
    try {
      reply = await handle(message);
    } catch (error) {
      reply = { error: (error as Error).message };
    }
    parentPort?.postMessage({ ...reply, id: message.id });
  });
});
parentPort?.postMessage({ ready: true });
