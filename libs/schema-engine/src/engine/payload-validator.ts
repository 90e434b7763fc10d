import { runValidator, type JsonValidationResult } from '../json-schema/json-ajv';
import {
  DEFAULT_JSON_LIMITS,
  parseJson,
  sizeProblem,
  type JsonLimits,
} from '../json-schema/json-safety';
import { type CompiledJsonSchema } from '../json-schema/json-schema-compiler';
import { estimatedWork, INLINE_MAX_TEXT } from '../json-schema/json-validation-policy';
import { type JsonValidatorPool } from '../json-schema/json-validator-pool';
import { type CompiledWsdl, type WsdlMessage } from '../wsdl/wsdl-model';
import { LIBXML_MAX_DEPTH, XmlSafety, type XmlSafetyLimits } from '../xml/xml-safety';
import { type CompiledXsd } from '../xsd/xsd-compiler';
import { clark, type QName } from '../xsd/xsd-model';
import { type XsdValidatorPool } from '../xsd/xsd-validator-pool';

/** An XML payload problem: where libxml2 saw it. */
export interface XmlPayloadError {
  line?: number;
  column?: number;
  message: string;
  /** XPath of the offending node, when known. */
  path?: string;
}

export type { JsonPayloadError, JsonValidationResult } from '../json-schema/json-ajv';

export interface XmlValidationResult {
  valid: boolean;
  errors: XmlPayloadError[];
}

export interface PayloadValidatorOptions {
  /** Caps for XML payloads (smaller than for schemas, typically). */
  xml: Partial<XmlSafetyLimits>;
  json: Partial<JsonLimits>;
  /** At most this many errors are returned. */
  maxErrors: number;
}

const DEFAULTS: PayloadValidatorOptions = {
  xml: { maxBytes: 10 * 1024 * 1024 },
  json: { maxBytes: 10 * 1024 * 1024 },
  maxErrors: 100,
};

/**
 * Validates payloads against compiled schemas. XML goes through the same safety checks as
 * schemas (refused payloads come back invalid with the reason), then libxml2 in the validator
 * pool; JSON through the size/depth caps, then the compiled ajv function — on the event loop
 * when the schema's linear bound shows it is cheap, else in a JSON validator worker under the
 * time limit (json-validation-policy.ts). Both pools answer PayloadTooComplexError (422) when a
 * payload runs past the limit.
 */
export class PayloadValidator {
  private readonly options: PayloadValidatorOptions;
  private readonly safety: XmlSafety;
  private readonly jsonLimits: JsonLimits;

  constructor(
    private readonly engine: XsdValidatorPool,
    private readonly jsonPool: JsonValidatorPool,
    options: Partial<PayloadValidatorOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.safety = new XmlSafety(this.options.xml);
    this.jsonLimits = { ...DEFAULT_JSON_LIMITS, ...this.options.json };
  }

  /**
   * Validates against a compiled XSD. `root` (a global element: `Invoice`, `{ns}Invoice`)
   * makes any other document element an error; otherwise every global element may be root.
   */
  async validateXml(
    schema: CompiledXsd,
    xml: string,
    options: { root?: string | QName } = {},
  ): Promise<XmlValidationResult> {
    let root: QName | undefined;
    if (options.root !== undefined) {
      const chosen = pickElement(schema.globalElements, options.root);
      if ('error' in chosen) return invalid(chosen.error);
      root = chosen.element;
    }
    return this.runXml(schema, xml, root, false);
  }

  /**
   * Validates the body of a WSDL message: the payload is the part's element, alone or inside a
   * SOAP 1.1/1.2 Envelope. `message` is a message name (`GetWeatherRequest`, `{ns}name`) or
   * `operation/input`, `operation/output`, `operation/fault/name`.
   */
  async validateWsdlMessage(
    wsdl: CompiledWsdl,
    xml: string,
    message: string,
  ): Promise<XmlValidationResult> {
    const found = findMessage(wsdl, message);
    if ('error' in found) return invalid(found.error);
    if (!wsdl.schema?.engineKey) {
      return invalid('this WSDL has no compiled types to validate against');
    }
    const elements = found.message.parts.filter((p) => p.element);
    if (elements.length !== 1 || found.message.parts.length !== 1) {
      return invalid(
        `message ${found.message.name.name} has ${found.message.parts.length} parts; only messages with one element part (document/literal) can be validated`,
      );
    }
    return this.runXml(wsdl.schema, xml, elements[0].element, true);
  }

  /**
   * Validates JSON text (or an already parsed value) against a compiled JSON Schema: inline
   * when the estimated work fits the budget, else in a worker (PayloadTooComplexError past the
   * time limit).
   */
  async validateJson(
    schema: CompiledJsonSchema,
    payload: string | { value: unknown },
  ): Promise<JsonValidationResult> {
    if (typeof payload === 'string' && payload.length > INLINE_MAX_TEXT) {
      const tooLarge = sizeProblem(payload, this.jsonLimits);
      if (tooLarge)
        return { valid: false, errors: [{ path: '', message: tooLarge, line: 1, column: 1 }] };
      return this.jsonPool.validate(schema.workerKey, schema.input, { text: payload });
    }
    let value: unknown;
    if (typeof payload === 'string') {
      const parsed = parseJson(payload, this.jsonLimits);
      if (!parsed.ok) {
        return {
          valid: false,
          errors: [{ path: '', message: parsed.message, line: parsed.line, column: parsed.column }],
        };
      }
      value = parsed.value;
    } else {
      value = payload.value;
    }
    if (estimatedWork(schema.bound, value) !== Infinity) {
      return runValidator(schema.validate, value, this.options.maxErrors);
    }
    return this.jsonPool.validate(
      schema.workerKey,
      schema.input,
      typeof payload === 'string' ? { text: payload } : { value },
    );
  }

  private async runXml(
    schema: CompiledXsd,
    xml: string,
    root: QName | undefined,
    soapEnvelope: boolean,
  ): Promise<XmlValidationResult> {
    if (!schema.engineKey) throw new Error('this XSD was compiled for checking only');
    const issue = this.safety.check(xml);
    if (issue) return { valid: false, errors: [issue] };
    const result = await this.engine.validate(schema.engineKey, xml, {
      root: root && { namespace: root.namespace, name: root.name },
      soapEnvelope,
    });
    return {
      valid: result.valid,
      errors: result.errors.slice(0, this.options.maxErrors).map((e) => ({
        line: e.line,
        column: e.column,
        message: depthMessage(e.message.trim()),
        ...(e.path ? { path: e.path } : {}),
      })),
    };
  }
}

/** libxml2's own depth refusal, said as the safety check says it. */
function depthMessage(message: string): string {
  return message.startsWith('Excessive depth in document')
    ? `elements are nested deeper than ${LIBXML_MAX_DEPTH} levels`
    : message;
}

function invalid(message: string): XmlValidationResult {
  return { valid: false, errors: [{ message }] };
}

/** A global element by `{ns}name` or local name (unique). */
export function pickElement(
  elements: QName[],
  wanted: string | QName,
): { element: QName } | { error: string } {
  const key = typeof wanted === 'string' ? wanted : clark(wanted);
  const matches = elements.filter(
    (e) => clark(e) === key || (!key.startsWith('{') && e.name === key),
  );
  if (matches.length === 1) return { element: matches[0] };
  const known = elements.map(clark).slice(0, 20).join(', ');
  return {
    error:
      matches.length === 0
        ? `root ${key} is not a global element of this schema (global elements: ${known || 'none'})`
        : `root ${key} is ambiguous; name it as {namespace}name`,
  };
}

function findMessage(
  wsdl: CompiledWsdl,
  wanted: string,
): { message: WsdlMessage } | { error: string } {
  const [operationName, direction, faultName] = wanted.split('/');
  let name: QName | undefined;
  if (direction) {
    const operation = wsdl.operations.find((o) => o.name === operationName);
    const io =
      direction === 'input'
        ? operation?.input
        : direction === 'output'
          ? operation?.output
          : operation?.faults.find((f) => f.name === faultName);
    if (!io) return { error: `operation ${wanted} is not defined in this WSDL` };
    name = io.message;
  }
  const matches = wsdl.messages.filter((m) =>
    name ? clark(m.name) === clark(name) : clark(m.name) === wanted || m.name.name === wanted,
  );
  if (matches.length === 1) return { message: matches[0] };
  return {
    error:
      matches.length === 0
        ? `message ${wanted} is not defined in this WSDL (messages: ${wsdl.messages.map((m) => m.name.name).join(', ')})`
        : `message ${wanted} is ambiguous; name it as {namespace}name`,
  };
}
