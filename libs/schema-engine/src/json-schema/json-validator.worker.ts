/**
 * JSON Schema compile-once / validate-many worker for JsonValidatorPool (json-validator-pool.ts),
 * speaking the WorkerPool protocol (worker-pool.ts). The schema is compiled here with the same
 * ajv set-up as on the main thread (json-ajv.ts); a payload that takes too long gets this
 * worker terminated, never the event loop blocked. Framework-free; it is loaded on its own
 * (compiled JavaScript in production, TypeScript through SWC with the path aliases in tests).
 */
import { parentPort, workerData } from 'node:worker_threads';

import { type ValidateFunction } from 'ajv';

import { buildValidator, createAjv, runValidator, type AjvInput } from './json-ajv';
import { parseJson, type JsonLimits } from './json-safety';

interface Settings {
  limits: JsonLimits;
  maxErrors: number;
}

/** What the pool sends: `compile` carries `input` and `keep`, `validate` `text` or `value`. */
interface Message {
  id: number;
  op: string;
  key: string;
  input?: AjvInput;
  keep?: boolean;
  text?: string;
  value?: unknown;
}

const settings = workerData as Settings;
const validators = new Map<string, ValidateFunction>();

function compile(message: Message) {
  try {
    const input = message.input as AjvInput;
    const validate = buildValidator(createAjv(input.draft), input);
    if (!validate) return { ok: false, diagnostics: [{ message: 'the schema does not compile' }] };
    if (message.keep) validators.set(message.key, validate);
    return { ok: true, diagnostics: [] };
  } catch (error) {
    return { ok: false, diagnostics: [{ message: (error as Error).message }] };
  }
}

function validate(message: Message) {
  const validator = validators.get(message.key);
  if (!validator) return { missing: true };
  let value = message.value;
  if (message.text !== undefined) {
    const parsed = parseJson(message.text, settings.limits);
    if (!parsed.ok) {
      const { line, column } = parsed;
      return { valid: false, errors: [{ path: '', message: parsed.message, line, column }] };
    }
    value = parsed.value;
  }
  return runValidator(validator, value, settings.maxErrors);
}

const port = parentPort;
if (!port) throw new Error('json-validator.worker runs in a worker thread');
port.on('message', (message: Message) => {
  let reply: Record<string, unknown>;
  try {
    if (message.op === 'compile') reply = compile(message);
    else if (message.op === 'validate') reply = { ...validate(message) };
    else if (message.op === 'release') reply = (validators.delete(message.key), {});
    else reply = { error: `unknown operation ${message.op}` };
  } catch (error) {
    reply = { error: String((error as Error).stack ?? error) };
  }
  port.postMessage({ id: message.id, ...reply });
});
port.postMessage({ ready: true });
