import { randomUUID } from 'node:crypto';

import { mainFile, type SchemaBundle, type SchemaResolver } from '../bundle/schema-bundle';
import { type SchemaReference } from '../bundle/schema-references';
import { SchemaInvalidError, sortProblems, type SchemaProblem } from '../problems/schema-problems';
import { clean, XmlSafety } from '../xml/xml-safety';
import { escapeXml, XsdLoader, type XsdSource } from './xsd-loader';
import { XsdModel, type QName } from './xsd-model';
import { type XsdEngineDiagnostic, type XsdValidatorPool } from './xsd-validator-pool';

/** A compiled XSD (or a WSDL's types): ready to validate payloads and to describe itself. */
export interface CompiledXsd {
  /** Key of the compiled schema in the {@link XsdValidatorPool}; absent for check-only compiles. */
  engineKey?: string;
  targetNamespace?: string;
  /** Global elements of the target namespace: the possible document roots. */
  globalElements: QName[];
  /** Imports/includes with what they resolved to (library ones become dependency rows). */
  references: SchemaReference[];
  /** libxml2 warnings, located. */
  warnings: SchemaProblem[];
  /** Every schema document, for structure trees and WSDL reference checks. */
  model: XsdModel;
  /** Rough memory held (DOM + compiled schema), for the cache's budget. */
  estimatedBytes: number;
}

export interface XsdCompileOptions {
  resolver?: SchemaResolver;
  /** Keep the compiled schema in the pool for validation (default true). */
  keep?: boolean;
}

/** libxmljs2 DOM plus compiled libxml2 schema per character of schema text (UBL 2.1: ~30 MB of DOM for 2.8 MB). */
const BYTES_PER_CHARACTER = 30;
const DRIVER_FILE = '__compile__.xsd';

/**
 * Compiles XSD bundles: loads the documents (XML safety checks, libxmljs2), resolves every
 * import/include/redefine inside the bundle or by namespace through the resolver, then compiles
 * with libxml2 in the validator pool. Collects **every** problem, located, and throws them in
 * one {@link SchemaInvalidError}.
 */
export class XsdCompiler {
  constructor(
    private readonly engine: XsdValidatorPool,
    private readonly safety: XmlSafety = new XmlSafety(),
  ) {}

  /** Frees a compiled schema kept for validation. */
  release(engineKey: string): void {
    this.engine.release(engineKey);
  }

  async compile(bundle: SchemaBundle, options: XsdCompileOptions = {}): Promise<CompiledXsd> {
    const loader = new XsdLoader(this.safety, bundle, options.resolver);
    mainFile(bundle);
    const main = loader.loadBundleFile(bundle.main);
    if (main) await loader.follow(main);
    if (!main) throw new SchemaInvalidError(sortProblems(loader.problems));
    return this.compileSources(loader, [main], options.keep ?? true);
  }

  /**
   * Compiles a set of loaded top-level documents (one XSD's main, or a WSDL's embedded
   * schemas). Throws with the loader's problems and libxml2's, all of them.
   */
  async compileSources(loader: XsdLoader, roots: XsdSource[], keep: boolean): Promise<CompiledXsd> {
    const { mainUrl, extra } = driverFor(roots, loader.injections);
    const files = [...loader.sources.values()].map((s) => ({ url: s.url, text: s.text }));
    files.push(...loader.placeholders, ...extra);
    const engineKey = keep ? randomUUID() : undefined;
    const result = await this.engine.compile(engineKey ?? 'check', mainUrl, files, { keep });
    const byUrl = new Map([...loader.sources.values()].map((s) => [s.url, s]));
    const located = (d: XsdEngineDiagnostic): SchemaProblem => ({
      file: (d.url && byUrl.get(d.url)?.file) ?? roots[0]?.file,
      line: d.url && byUrl.has(d.url) ? d.line : undefined,
      column: d.url && byUrl.has(d.url) ? d.column : undefined,
      message: clean(d.message),
      code: 'schema_invalid',
    });
    // Every location the loader could resolve is served; a load failure is one it reported.
    const noise = (d: XsdEngineDiagnostic) =>
      loader.unresolvedLocations.size > 0 &&
      (/failed to (load|locate)/i.test(d.message) ||
        [...loader.unresolvedLocations].some((location) => d.message.includes(location)));
    const errors = result.diagnostics.filter((d) => d.level >= 2 && !noise(d)).map(located);
    const problems = [...loader.problems, ...errors];
    if (!result.ok && problems.length === 0) {
      problems.push({
        file: roots[0]?.file,
        message: 'the schema does not compile',
        code: 'schema_invalid',
      });
    }
    if (problems.length > 0) {
      if (engineKey) this.engine.release(engineKey);
      throw new SchemaInvalidError(sortProblems(dedupe(problems)));
    }
    const model = new XsdModel([...loader.sources.values()]);
    const targetNamespace = roots.length === 1 ? roots[0].targetNamespace : undefined;
    const rootNamespaces = new Set(roots.map((r) => r.targetNamespace ?? null));
    const globalElements = model
      .list('element')
      .filter((c) => rootNamespaces.has(c.qname.namespace ?? null))
      .map((c) => c.qname);
    const size = [...loader.sources.values()].reduce((sum, s) => sum + s.text.length, 0);
    return {
      engineKey,
      targetNamespace,
      globalElements,
      references: loader.references,
      warnings: result.diagnostics
        .filter((d) => d.level < 2 && d.url !== mainUrl && !noise(d))
        .map(located),
      model,
      estimatedBytes: size * BYTES_PER_CHARACTER,
    };
  }
}

/**
 * What libxml2 compiles: the one root itself when nothing needs injecting, else a small driver
 * that first imports the namespaces found by namespace (so libxml2 takes those documents and
 * skips unusable locations), then brings in every root (include for the driver's namespace,
 * import for the others).
 */
function driverFor(
  roots: XsdSource[],
  injections: Map<string, string>,
): { mainUrl: string; extra: { url: string; text: string }[] } {
  const first = roots[0];
  if (roots.length === 1 && injections.size === 0) return { mainUrl: first.url, extra: [] };
  const driverNamespace = roots.length === 1 ? first.targetNamespace : undefined;
  const lines: string[] = [];
  for (const [namespace, url] of injections) {
    if (namespace === (driverNamespace ?? '')) continue;
    if (roots.some((r) => (r.targetNamespace ?? '') === namespace)) continue;
    lines.push(
      `<xs:import namespace="${escapeXml(namespace)}" schemaLocation="${escapeXml(url)}"/>`,
    );
  }
  const byNamespace = new Map<string, XsdSource[]>();
  for (const root of roots) {
    const key = root.targetNamespace ?? '';
    byNamespace.set(key, [...(byNamespace.get(key) ?? []), root]);
  }
  const wrappers: { url: string; text: string }[] = [];
  for (const [namespace, group] of byNamespace) {
    if (namespace === (driverNamespace ?? '')) {
      for (const root of group) lines.push(`<xs:include schemaLocation="${escapeXml(root.url)}"/>`);
    } else if (group.length === 1) {
      lines.push(
        `<xs:import namespace="${escapeXml(namespace)}" schemaLocation="${escapeXml(group[0].url)}"/>`,
      );
    } else {
      // Several roots share a namespace: a wrapper of that namespace includes them all.
      const url = `${group[0].url}.all.xsd`;
      wrappers.push({
        url,
        text: schemaText(
          namespace,
          group.map((r) => `<xs:include schemaLocation="${escapeXml(r.url)}"/>`),
        ),
      });
      lines.push(
        `<xs:import namespace="${escapeXml(namespace)}" schemaLocation="${escapeXml(url)}"/>`,
      );
    }
  }
  const mainUrl = `file:///bundle/${DRIVER_FILE}`;
  return {
    mainUrl,
    extra: [...wrappers, { url: mainUrl, text: schemaText(driverNamespace, lines) }],
  };
}

function schemaText(namespace: string | undefined, lines: string[]): string {
  const target = namespace ? ` targetNamespace="${escapeXml(namespace)}"` : '';
  return `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"${target}>\n${lines.join('\n')}\n</xs:schema>\n`;
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}|${p.line}|${p.column}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
