import { type AnySchemaObject, type ValidateFunction } from 'ajv';

import {
  isAbsoluteLocation,
  mainFile,
  resolveBundlePath,
  type SchemaBundle,
  type SchemaResolver,
} from '../bundle/schema-bundle';
import { type SchemaReference, type SchemaReferenceTarget } from '../bundle/schema-references';
import { SchemaInvalidError, sortProblems, type SchemaProblem } from '../problems/schema-problems';
import {
  buildValidator,
  createAjv,
  describeError,
  type AjvInput,
  type JsonSchemaDraft,
} from './json-ajv';
import { patternProblem } from './json-regexp';
import { DEFAULT_JSON_LIMITS, parseJson, type JsonLimits } from './json-safety';
import { linearBound, type LinearBound } from './json-schema-cost';
import {
  embeddedId,
  findPatterns,
  findRefs,
  idOf,
  isObject,
  resolvePointer,
  stripFragment,
} from './json-schema-refs';
import { INLINE_WORK_BUDGET } from './json-validation-policy';

export type { JsonSchemaDraft };

/** Numbers each compile: the key its validator has in a worker. */
let compiles = 0;
export { describeError };

const DRAFTS: Record<string, JsonSchemaDraft> = {
  'http://json-schema.org/draft-04/schema': 'draft-04',
  'http://json-schema.org/draft-06/schema': 'draft-06',
  'http://json-schema.org/draft-07/schema': 'draft-07',
  'https://json-schema.org/draft/2019-09/schema': '2019-09',
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
};

/** Draft of a `$schema` value (`#` and http/https spelling ignored); default draft-07. */
export function draftOf(schema: unknown): JsonSchemaDraft | undefined {
  const declared = isObject(schema) ? schema['$schema'] : undefined;
  if (declared === undefined) return 'draft-07';
  if (typeof declared !== 'string') return undefined;
  const key = declared.replace(/#$/, '');
  return (
    DRAFTS[key] ??
    DRAFTS[key.replace(/^https:/, 'http:')] ??
    DRAFTS[key.replace(/^http:/, 'https:')]
  );
}

/** One schema document of a compile. */
export interface JsonSchemaDocument {
  /** Bundle path, or `library:<ref>/<path>`. */
  file: string;
  /** Base URI: its `$id`, else a `bundle:` / `library:` URI of its path. */
  uri: string;
  schema: unknown;
  /** Set for documents of other library schemas. */
  library?: { ref: string; path: string };
}

export interface CompiledJsonSchema {
  draft: JsonSchemaDraft;
  /** Base URI of the main schema. */
  uri: string;
  validate: ValidateFunction;
  /** What a validator worker compiles the same validator from, and under which key. */
  input: AjvInput;
  workerKey: string;
  /**
   * Proof that validation is linear in the payload, with its factor (json-schema-cost.ts);
   * undefined when validations must run in a worker under the time limit.
   */
  bound?: LinearBound;
  /** Every document by base URI (and alias), for structure trees. */
  documents: Map<string, JsonSchemaDocument>;
  references: SchemaReference[];
  warnings: SchemaProblem[];
  estimatedBytes: number;
}

export interface JsonSchemaCompileOptions {
  resolver?: SchemaResolver;
}

/**
 * Compiles JSON Schema bundles with ajv (draft by `$schema`; `strict: false`, ajv-formats).
 * Every `$ref` is resolved before ajv sees it: to a bundle file by `$id` or relative path, or to
 * a library schema by `$id` through the resolver. ajv never loads anything (no `loadSchema`);
 * an unknown `$ref` is a located problem.
 */
export class JsonSchemaCompiler {
  constructor(private readonly limits: JsonLimits = DEFAULT_JSON_LIMITS) {}

  async compile(
    bundle: SchemaBundle,
    options: JsonSchemaCompileOptions = {},
  ): Promise<CompiledJsonSchema> {
    mainFile(bundle);
    const problems: SchemaProblem[] = [];
    const documents = new Map<string, JsonSchemaDocument>();
    const byPath = new Map<string, JsonSchemaDocument>();
    const parse = (
      file: string,
      text: string,
      fallbackUri: string,
      library?: JsonSchemaDocument['library'],
    ): JsonSchemaDocument | undefined => {
      const parsed = parseJson(text, this.limits);
      if (!parsed.ok) {
        problems.push({
          file,
          line: parsed.line,
          column: parsed.column,
          message: parsed.message,
          code: 'syntax_error',
        });
        return undefined;
      }
      const id = idOf(parsed.value);
      const doc = {
        file,
        uri: id ? stripFragment(id) : fallbackUri,
        schema: parsed.value,
        library,
      };
      if (documents.has(doc.uri)) {
        problems.push({
          file,
          pointer: '',
          message: `$id ${doc.uri} is also the $id of ${documents.get(doc.uri)?.file}`,
          code: 'schema_invalid',
        });
        return undefined;
      }
      documents.set(doc.uri, doc);
      return doc;
    };
    for (const file of bundle.files) {
      if (file.path !== bundle.main && !/\.json$/i.test(file.path)) continue;
      const doc = parse(file.path, file.text, `bundle:///${file.path}`);
      if (doc) byPath.set(file.path, doc);
    }
    const main = byPath.get(bundle.main);
    if (!main) throw new SchemaInvalidError(sortProblems(problems));
    const draft = draftOf(main.schema);
    if (!draft) {
      throw new SchemaInvalidError([
        {
          file: main.file,
          pointer: '/$schema',
          message: `$schema ${JSON.stringify((main.schema as AnySchemaObject)['$schema'])} is not a supported draft (04, 06, 07, 2019-09, 2020-12)`,
          code: 'schema_invalid',
        },
      ]);
    }
    const idKey = draft === 'draft-04' ? 'id' : '$id';

    // Resolve every $ref, loading library schemas as needed.
    const references: SchemaReference[] = [];
    const aliases = new Map<string, JsonSchemaDocument>();
    const pending = [...documents.values()];
    const walked = new Set<JsonSchemaDocument>();
    let libraries = 0;
    const embeddedCache = new Map<string, JsonSchemaDocument | undefined>();
    const embedded = (uri: string) => {
      if (!embeddedCache.has(uri)) embeddedCache.set(uri, embeddedId(documents, uri, idKey));
      return embeddedCache.get(uri);
    };
    while (pending.length > 0) {
      const doc = pending.shift() as JsonSchemaDocument;
      if (walked.has(doc)) continue;
      walked.add(doc);
      for (const found of findRefs(doc, idKey)) {
        let target =
          documents.get(found.target) ?? aliases.get(found.target) ?? embedded(found.target);
        if (!target && !doc.library) {
          const path = isAbsoluteLocation(found.ref)
            ? undefined
            : resolveBundlePath(doc.file, found.ref);
          const byFile = path ? byPath.get(path) : undefined;
          if (byFile) {
            target = byFile;
            aliases.set(found.target, byFile);
          }
        }
        if (!target) {
          const library = await options.resolver?.resolveId?.(found.target);
          if (library) {
            libraries += 1;
            for (const file of library.bundle.files) {
              if (!/\.json$/i.test(file.path) && file.path !== library.bundle.main) continue;
              const loaded = parse(
                `library:${library.ref}/${file.path}`,
                file.text,
                `library:///${libraries}/${file.path}`,
                { ref: library.ref, path: file.path },
              );
              if (loaded) pending.push(loaded);
              if (loaded && file.path === library.bundle.main) {
                target = loaded;
                if (loaded.uri !== found.target) aliases.set(found.target, loaded);
              }
            }
          }
        }
        if (!target) {
          if (found.target !== '') {
            problems.push({
              file: doc.file,
              pointer: found.pointer,
              message: `$ref "${found.ref}" is not in the bundle or the library (remote schemas are never fetched)`,
              code: 'reference_unresolved',
            });
          }
          continue;
        }
        if (
          found.fragment.startsWith('/') &&
          resolvePointer(target.schema, found.fragment) === undefined
        ) {
          problems.push({
            file: doc.file,
            pointer: found.pointer,
            message: `$ref "${found.ref}" points at ${found.fragment}, which does not exist in ${target.file}`,
            code: 'reference_unresolved',
          });
        }
        if (target !== doc && !doc.library) {
          const to: SchemaReferenceTarget = target.library
            ? { scope: 'library', ...target.library }
            : { scope: 'bundle', path: target.file };
          references.push({
            kind: '$ref',
            file: doc.file,
            pointer: found.pointer,
            location: found.ref,
            target: to,
          });
        }
      }
    }

    // Meta-schema validation of every document, then compile.
    const ajv = createAjv(draft);
    for (const doc of documents.values()) {
      try {
        if (!ajv.validateSchema(doc.schema as AnySchemaObject)) {
          for (const error of ajv.errors ?? []) {
            problems.push({
              file: doc.file,
              pointer: error.instancePath,
              message: `schema ${describeError(error)}`,
              code: 'schema_invalid',
            });
          }
        }
      } catch (error) {
        problems.push({
          file: doc.file,
          pointer: '/$schema',
          message: `cannot check against its $schema (${(error as Error).message}); a bundle cannot mix these drafts`,
          code: 'schema_invalid',
        });
      }
    }
    for (const doc of documents.values()) {
      for (const { pointer, pattern } of findPatterns(doc.schema)) {
        const problem = patternProblem(pattern);
        if (problem) {
          problems.push({
            file: doc.file,
            pointer,
            message: `pattern ${JSON.stringify(pattern)} ${problem}`,
            code: 'schema_invalid',
          });
        }
      }
    }
    if (problems.length > 0) throw new SchemaInvalidError(sortProblems(problems));
    const input: AjvInput = {
      draft,
      schemas: [
        ...[...documents.values()].map((doc) => ({
          schema: doc.schema,
          key: idOf(doc.schema) ? undefined : doc.uri,
        })),
        ...[...aliases]
          .filter(([uri]) => !documents.has(uri))
          .map(([uri, doc]) => ({ schema: doc.schema, key: uri })),
      ],
      main: main.uri,
    };
    let validate: ValidateFunction | undefined;
    try {
      validate = buildValidator(ajv, input);
    } catch (error) {
      problems.push({
        file: main.file,
        message: `the schema does not compile: ${(error as Error).message}`,
        code: 'schema_invalid',
      });
    }
    if (!validate) {
      if (problems.length === 0)
        problems.push({
          file: main.file,
          message: 'the schema does not compile',
          code: 'schema_invalid',
        });
      throw new SchemaInvalidError(problems);
    }
    const size = bundle.files.reduce((sum, f) => sum + f.text.length, 0);
    for (const [uri, doc] of aliases) if (!documents.has(uri)) documents.set(uri, doc);
    const bound = linearBound(
      [...documents.entries()].map(([uri, doc]) => ({ uri, schema: doc.schema })),
      main.uri,
      idKey,
      INLINE_WORK_BUDGET,
    );
    return {
      draft,
      uri: main.uri,
      validate,
      input,
      workerKey: `json-schema#${++compiles}`,
      bound,
      documents,
      references,
      warnings: [],
      estimatedBytes: size * 20,
    };
  }
}
