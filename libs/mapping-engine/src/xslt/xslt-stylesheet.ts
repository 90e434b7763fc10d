import { parseXml, type Element } from 'libxmljs2';

import { XmlSafety } from '@integrixs/schema-engine';

import { MappingCompileError, type MappingProblem } from '../jsonata/mapping-model';

/**
 * XSLT mappings on xslt-processor (LGPL-3.0, pure JavaScript). What it runs correctly was
 * decided by testing (README): XSLT 1.0 with XPath 1.0, plus `xsl:for-each-group`. Anything
 * else is refused when the stylesheet is saved, naming the construct, instead of giving wrong
 * output at run time: XSLT 2.0/3.0 instructions it drops silently (`xsl:result-document`) or
 * that we have not verified, XPath 2.0 functions it gets wrong (`replace`, `tokenize`,
 * `upper-case`), `document()` (it reads nothing, and must not reach the network or disk),
 * extension functions. `xsl:include`/`xsl:import` resolve from the mapping's own files only.
 */

const XSL_NS = 'http://www.w3.org/1999/XSL/Transform';

const INSTRUCTIONS = new Set([
  'stylesheet',
  'transform',
  'template',
  'apply-templates',
  'apply-imports',
  'call-template',
  'with-param',
  'param',
  'variable',
  'value-of',
  'for-each',
  'sort',
  'if',
  'choose',
  'when',
  'otherwise',
  'element',
  'attribute',
  'attribute-set',
  'text',
  'comment',
  'processing-instruction',
  'copy',
  'copy-of',
  'number',
  'key',
  'output',
  'strip-space',
  'preserve-space',
  'decimal-format',
  'message',
  'fallback',
  'namespace-alias',
  'include',
  'import',
  'for-each-group',
]);

const FUNCTIONS = new Set([
  'last',
  'position',
  'count',
  'id',
  'local-name',
  'namespace-uri',
  'name',
  'string',
  'concat',
  'starts-with',
  'contains',
  'substring-before',
  'substring-after',
  'substring',
  'string-length',
  'normalize-space',
  'translate',
  'boolean',
  'not',
  'true',
  'false',
  'lang',
  'number',
  'sum',
  'floor',
  'ceiling',
  'round',
  'key',
  'format-number',
  'current',
  'generate-id',
  'system-property',
  'element-available',
  'function-available',
  'current-group',
  'current-grouping-key',
]);

/** Node tests look like calls: `text()`, `node()`. */
const NODE_TESTS = new Set(['node', 'text', 'comment', 'processing-instruction']);

/** Attributes holding XPath expressions, or attribute value templates (`{...}`). */
const EXPRESSION_ATTRIBUTES = new Set([
  'select',
  'test',
  'match',
  'use',
  'group-by',
  'group-adjacent',
]);

export class CompiledStylesheet {
  private constructor(
    private readonly text: string,
    private readonly files: Record<string, string>,
  ) {}

  /**
   * Checks a stylesheet (and the files it includes) for what the engine cannot run;
   * MappingCompileError with every problem, located by file and line.
   */
  static compile(text: string, files: Record<string, string> = {}): CompiledStylesheet {
    const problems: MappingProblem[] = [];
    const seen = new Set<string>();
    const check = (file: string, source: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const p of unsupported(file, source)) problems.push(p);
      for (const href of includes(source)) {
        const included = files[href];
        if (included === undefined) {
          problems.push({
            location: file,
            code: 'syntax_error',
            message: `xsl:include/xsl:import of ${href}: the mapping has no such file`,
          });
        } else check(href, included);
      }
    };
    check('stylesheet', text);
    if (problems.length > 0) throw new MappingCompileError(problems);
    return new CompiledStylesheet(text, files);
  }

  /** What a worker needs to run it (xslt-runner.ts): the checked text and its files. */
  get source(): { stylesheet: string; files: Record<string, string> } {
    return { stylesheet: this.text, files: this.files };
  }
}

function parse(file: string, source: string): { root?: Element; problem?: MappingProblem } {
  const issue = new XmlSafety().check(source);
  if (issue)
    return {
      problem: { location: `${file}:${issue.line}`, code: 'syntax_error', message: issue.message },
    };
  try {
    const root =
      parseXml(source, { nonet: true, noent: false, dtdload: false }).root() ?? undefined;
    return { root };
  } catch (error) {
    const e = error as { message: string; line?: number; column?: number };
    return {
      problem: {
        location: `${file}:${e.line ?? 1}`,
        position: e.column,
        code: 'syntax_error',
        message: `not well-formed XML: ${e.message.trim()}`,
      },
    };
  }
}

function unsupported(file: string, source: string): MappingProblem[] {
  const { root, problem } = parse(file, source);
  if (problem) return [problem];
  if (
    !root ||
    root.namespace()?.href() !== XSL_NS ||
    !['stylesheet', 'transform'].includes(root.name())
  ) {
    return [
      {
        location: file,
        code: 'syntax_error',
        message: 'not an XSLT stylesheet (xsl:stylesheet or xsl:transform)',
      },
    ];
  }
  const problems: MappingProblem[] = [];
  const report = (el: Element, message: string) =>
    problems.push({ location: `${file}:${el.line()}`, code: 'syntax_error', message });
  const visit = (el: Element) => {
    const isXsl = el.namespace()?.href() === XSL_NS;
    if (isXsl && !INSTRUCTIONS.has(el.name())) {
      report(
        el,
        `xsl:${el.name()} is not supported by the XSLT engine (XSLT 1.0 and xsl:for-each-group)`,
      );
    }
    for (const attr of el.attrs()) {
      const expression = isXsl && EXPRESSION_ATTRIBUTES.has(attr.name());
      const template = !expression && attr.value().includes('{');
      if (!expression && !template) continue;
      const text = template ? avtExpressions(attr.value()) : attr.value();
      for (const fn of functionCalls(text)) {
        if (FUNCTIONS.has(fn) || NODE_TESTS.has(fn)) continue;
        report(
          el,
          fn === 'document'
            ? 'document() is not supported: a mapping reads only its input'
            : `the function ${fn}() is not supported by the XSLT engine (XPath 1.0 functions only)`,
        );
      }
    }
    for (const child of el.childNodes()) if (child.type() === 'element') visit(child as Element);
  };
  visit(root);
  return problems;
}

function includes(source: string): string[] {
  const { root } = parse('stylesheet', source);
  if (!root) return [];
  return (root.childNodes() as Element[])
    .filter(
      (n) =>
        n.type() === 'element' &&
        n.namespace()?.href() === XSL_NS &&
        ['include', 'import'].includes(n.name()),
    )
    .map((n) => n.attr('href')?.value() ?? '');
}

/** The `{expr}` parts of an attribute value template (`{{` is a literal brace). */
function avtExpressions(value: string): string {
  return [...value.replace(/\{\{|\}\}/g, '').matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).join(' ');
}

/** Names called in an XPath expression, string literals removed. */
function functionCalls(expression: string): string[] {
  const code = expression.replace(/"[^"]*"|'[^']*'/g, '""');
  return [...code.matchAll(/([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*\(/g)].map((m) => m[1]);
}
