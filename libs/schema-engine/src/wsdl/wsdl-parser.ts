import { mainFile, type SchemaBundle } from '../bundle/schema-bundle';
import { SchemaInvalidError, sortProblems, type SchemaProblem } from '../problems/schema-problems';
import { XmlSafety } from '../xml/xml-safety';
import { type CompiledXsd, type XsdCompileOptions, type XsdCompiler } from '../xsd/xsd-compiler';
import { BUNDLE_URL } from '../xsd/xsd-loader';
import { attr, XsdModel } from '../xsd/xsd-model';
import { WsdlChecker } from './wsdl-checker';
import { WsdlLoader } from './wsdl-loader';
import { type CompiledWsdl } from './wsdl-model';

export interface WsdlParseOptions extends XsdCompileOptions {
  /**
   * Refuse what is only a warning by default: types that do not compile (or import what is
   * not there), faults with undefined messages, binding operations missing from the portType,
   * part references that cannot be checked. Real-world WSDLs often have these; by default they
   * are accepted with warnings (payload validation then needs clean types).
   */
  strict?: boolean;
}

/**
 * Parses WSDL 1.1 bundles: the definitions and everything `wsdl:import` brings in, the types
 * (embedded schemas and their imports, compiled by the {@link XsdCompiler}), messages,
 * portTypes, bindings (SOAP 1.1/1.2, document/RPC) and services. Every QName reference is
 * checked; each missing one is a located problem with a plain message.
 */
export class WsdlParser {
  constructor(
    private readonly xsd: XsdCompiler,
    private readonly safety: XmlSafety = new XmlSafety(),
  ) {}

  async parse(bundle: SchemaBundle, options: WsdlParseOptions = {}): Promise<CompiledWsdl> {
    mainFile(bundle);
    const run = new WsdlLoader(this.safety, bundle, options.resolver, options.strict ?? false);
    const main = await run.loadWsdl(bundle, bundle.main, BUNDLE_URL, { scope: 'bundle' });
    if (!main) throw new SchemaInvalidError(sortProblems(run.problems));

    let schema: CompiledXsd | undefined;
    let typesProblems = run.loader.problems;
    if (run.xsdRoots.length > 0) {
      try {
        schema = await this.xsd.compileSources(run.loader, run.xsdRoots, options.keep ?? true);
      } catch (error) {
        if (!(error instanceof SchemaInvalidError)) throw error;
        typesProblems = error.problems;
      }
    }
    run.typesClean = typesProblems.length === 0;
    for (const problem of typesProblems) run.soft(problem);
    if (!run.typesClean && !options.strict) {
      run.warnings.push({
        file: main.file,
        message: 'the types have problems, so payloads cannot be validated against this WSDL',
        code: 'schema_invalid',
      });
    }
    const model = schema?.model ?? new XsdModel([...run.loader.sources.values()]);
    const result = new WsdlChecker(run).check(model);
    if (run.problems.length > 0) {
      if (schema?.engineKey) this.xsd.release(schema.engineKey);
      throw new SchemaInvalidError(sortProblems(dedupe(run.problems)));
    }
    const size = run.docs.reduce((sum, d) => sum + d.text.length, 0);
    return {
      targetNamespace: main.targetNamespace,
      name: attr(main.root, 'name'),
      ...result,
      schema,
      references: [...run.references, ...(schema?.references ?? run.loader.references)],
      warnings: [...run.warnings, ...(schema?.warnings ?? [])],
      estimatedBytes: (schema?.estimatedBytes ?? 0) + size * 10,
    };
  }
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}|${p.line}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
