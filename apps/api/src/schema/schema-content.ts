import { type SchemaType } from '@integrixs/domain';
import {
  bundleFromZip,
  createBundle,
  type CompiledSchema,
  type SchemaBundle,
} from '@integrixs/schema-engine';

import { ValidationError } from '../core/errors/app-error';
import { type SchemaContentDto } from './dto/schema-input.dto';

/** The ways to give a schema's content; exactly one per request. */
const CONTENT_FIELDS = ['document', 'files', 'zip', 'content'] as const;

const DEFAULT_FILE_NAMES: Record<SchemaType, string> = {
  XSD: 'schema.xsd',
  WSDL: 'service.wsdl',
  JSON_SCHEMA: 'schema.json',
};

/**
 * The bundle from exactly one of `document`, `files` or `zip`; 400/422 naming what is wrong.
 * Async because a zip is inflated off the event loop.
 */
export async function bundleOf(type: SchemaType, dto: SchemaContentDto): Promise<SchemaBundle> {
  const given = CONTENT_FIELDS.filter((k) => dto[k] !== undefined);
  if (given.length !== 1) {
    throw new ValidationError(
      (given.length === 0 ? CONTENT_FIELDS : given).map((path) => ({
        path,
        message:
          given.length === 0
            ? 'give the schema as one of document, files, zip or content'
            : `give the schema as only one of ${given.join(', ')}`,
        code: 'one_of',
      })),
    );
  }
  if (dto.content !== undefined) {
    if (dto.main !== undefined) throw ValidationError.of('main', 'goes inside content');
    if (dto.content.type !== undefined && dto.content.type !== type) {
      throw ValidationError.of('content.type', `must be ${type}, the schema's type`);
    }
    return createBundle({ type, files: dto.content.files, main: dto.content.main });
  }
  if (dto.document !== undefined) {
    if (dto.main !== undefined) throw ValidationError.of('main', 'is only used with files or zip');
    const path = dto.fileName ?? DEFAULT_FILE_NAMES[type];
    return createBundle({ type, files: [{ path, text: dto.document }], main: path });
  }
  if (dto.fileName !== undefined)
    throw ValidationError.of('fileName', 'is only used with document');
  if (dto.zip !== undefined) return bundleFromZip({ type, zipBase64: dto.zip, main: dto.main });
  return createBundle({ type, files: dto.files ?? [], main: dto.main });
}

/** The main file's targetNamespace (XSD, WSDL) or `$id` (JSON Schema), if it has one. */
export function namespaceOf(compiled: CompiledSchema): string | null {
  switch (compiled.type) {
    case 'XSD':
      return compiled.xsd.targetNamespace ?? null;
    case 'WSDL':
      return compiled.wsdl.targetNamespace ?? null;
    case 'JSON_SCHEMA':
      // Without an $id the base URI is a made-up bundle: URI nothing else can refer to.
      return /^(bundle|library):/.test(compiled.json.uri) ? null : compiled.json.uri;
  }
}
