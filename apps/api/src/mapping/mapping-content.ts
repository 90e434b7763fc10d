import { type MappingDefinition, type PayloadSide } from '@integrixs/mapping-engine';

import { ValidationError } from '../core/errors/app-error';
import { type CreateMappingDto, type MappingKind } from './dto/mapping-input.dto';

/** A library schema one side of a mapping uses: pinned (`version`) or following the latest. */
export interface MappingSchemaRef {
  assetId: string;
  version: number | null;
  root: string | null;
}

/** What a mapping version holds (asset_versions.content). */
export interface MappingContent {
  kind: MappingKind;
  sourceSchema: MappingSchemaRef;
  targetSchema: MappingSchemaRef;
  rules: { target: string; expression: string }[];
  documentExpression: string | null;
  stylesheet: string | null;
  files: { path: string; text: string }[];
}

type ContentFields = Pick<
  CreateMappingDto,
  'kind' | 'sourceSchema' | 'targetSchema' | 'rules' | 'documentExpression' | 'stylesheet' | 'files'
>;

export const CONTENT_FIELDS = [
  'kind',
  'sourceSchema',
  'targetSchema',
  'rules',
  'documentExpression',
  'stylesheet',
  'files',
] as const satisfies readonly (keyof ContentFields)[];

function refOf(value: unknown): MappingSchemaRef {
  const r = (value ?? {}) as Partial<MappingSchemaRef>;
  return {
    assetId: typeof r.assetId === 'string' ? r.assetId : '',
    version: typeof r.version === 'number' ? r.version : null,
    root: typeof r.root === 'string' ? r.root : null,
  };
}

/** Reads a stored version; content saved before mappings had a shape reads as an empty JSONATA. */
export function mappingContentOf(content: unknown): MappingContent {
  const c = (content && typeof content === 'object' ? content : {}) as Partial<MappingContent>;
  return {
    kind: c.kind === 'XSLT' ? 'XSLT' : 'JSONATA',
    sourceSchema: refOf(c.sourceSchema),
    targetSchema: refOf(c.targetSchema),
    rules: Array.isArray(c.rules) ? c.rules : [],
    documentExpression: typeof c.documentExpression === 'string' ? c.documentExpression : null,
    stylesheet: typeof c.stylesheet === 'string' ? c.stylesheet : null,
    files: Array.isArray(c.files) ? c.files : [],
  };
}

/**
 * The content of a create (`was` absent) or an update (fields left out keep `was`'s value),
 * normalised; 400 for fields the kind does not have.
 */
export function mergeContent(dto: Partial<ContentFields>, was?: MappingContent): MappingContent {
  const pick = <K extends keyof ContentFields>(k: K) => (dto[k] !== undefined ? dto[k] : was?.[k]);
  const content: MappingContent = {
    kind: pick('kind') ?? 'JSONATA',
    sourceSchema: refOf(pick('sourceSchema')),
    targetSchema: refOf(pick('targetSchema')),
    rules: (pick('rules') ?? []).map((r) => ({ target: r.target, expression: r.expression })),
    documentExpression: pick('documentExpression') ?? null,
    stylesheet: pick('stylesheet') ?? null,
    files: (pick('files') ?? []).map((f) => ({ path: f.path, text: f.text })),
  };
  const problems: { path: string; message: string; code: string }[] = [];
  if (content.kind === 'XSLT') {
    if (content.stylesheet === null || content.stylesheet.trim() === '')
      problems.push({ path: 'stylesheet', message: 'an XSLT mapping needs it', code: 'required' });
    if (content.rules.length > 0)
      problems.push({ path: 'rules', message: 'only JSONATA mappings have rules', code: 'kind' });
    if (content.documentExpression !== null)
      problems.push({
        path: 'documentExpression',
        message: 'only JSONATA mappings have a document expression',
        code: 'kind',
      });
  } else {
    if (content.stylesheet !== null)
      problems.push({
        path: 'stylesheet',
        message: 'only XSLT mappings have a stylesheet',
        code: 'kind',
      });
    if (content.files.length > 0)
      problems.push({ path: 'files', message: 'only XSLT mappings have files', code: 'kind' });
  }
  const paths = new Set<string>();
  content.files.forEach((f, i) => {
    if (paths.has(f.path))
      problems.push({ path: `files[${i}].path`, message: 'appears twice', code: 'duplicate' });
    paths.add(f.path);
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return content;
}

/** True when a JSONATA mapping has nothing yet (a draft the editor is about to fill). */
export function isEmptyMapping(content: MappingContent): boolean {
  return (
    content.kind === 'JSONATA' &&
    content.rules.length === 0 &&
    (content.documentExpression ?? '').trim() === ''
  );
}

/** The engine's definition of a mapping between two resolved sides. */
export function definitionOf(
  content: MappingContent,
  source: PayloadSide,
  target: PayloadSide,
): MappingDefinition {
  if (content.kind === 'XSLT') {
    return {
      kind: 'XSLT',
      stylesheet: content.stylesheet ?? '',
      files: Object.fromEntries(content.files.map((f) => [f.path, f.text])),
      source,
      target,
    };
  }
  const document = content.documentExpression ?? undefined;
  return {
    kind: 'JSONATA',
    mapping: { rules: content.rules, ...(document !== undefined ? { document } : {}) },
    source,
    target,
  };
}
