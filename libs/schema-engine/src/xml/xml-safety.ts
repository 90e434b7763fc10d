import { parseXml, type Document } from 'libxmljs2';

import { type SchemaProblem } from '../problems/schema-problems';
import { lineColumn, scanXml, type XmlElementSpan, type XmlScanLimits } from './xml-scanner';

export interface XmlSafetyLimits extends XmlScanLimits {
  /** Largest accepted document, in UTF-8 bytes. */
  maxBytes: number;
}

/** libxml2 refuses documents nested deeper than this unless XML_PARSE_HUGE is set (never here). */
export const LIBXML_MAX_DEPTH = 256;

export const DEFAULT_XML_SAFETY_LIMITS: XmlSafetyLimits = {
  maxBytes: 16 * 1024 * 1024,
  // libxml2 refuses deeper documents itself (without XML_PARSE_HUGE); we say so first, clearly.
  maxDepth: LIBXML_MAX_DEPTH,
  maxEntities: 64,
  maxEntityLength: 4096,
  maxEntityExpansion: 1024 * 1024,
};

/**
 * libxmljs2 options for every parse: no network (`nonet`), no entity substitution (`noent`
 * unset), no DTD loading or validation, no XInclude, no `huge` (libxml2 keeps its own limits).
 * `big_lines` keeps line numbers right past line 65535.
 */
export const SAFE_PARSE_OPTIONS = Object.freeze({
  nonet: true,
  noent: false,
  dtdload: false,
  dtdattr: false,
  dtdvalid: false,
  xinclude: false,
  huge: false,
  big_lines: true,
});

export interface XmlIssue {
  message: string;
  line: number;
  column: number;
}

export interface ParsedXml {
  /** The parsed document; absent when the text was refused or is not well-formed. */
  doc?: Document;
  problems: SchemaProblem[];
  /** Element positions in document order (only when asked for). */
  spans: XmlElementSpan[];
}

interface LibxmlSyntaxError {
  message: string;
  line?: number | null;
  column?: number;
  level?: number | null;
}

/**
 * The one way XML text gets parsed: every document (schema file, WSDL, payload) passes the size
 * cap and the lexical checks of {@link scanXml} first, then libxmljs2 with {@link SAFE_PARSE_OPTIONS}.
 */
export class XmlSafety {
  readonly limits: XmlSafetyLimits;

  constructor(limits: Partial<XmlSafetyLimits> = {}) {
    this.limits = { ...DEFAULT_XML_SAFETY_LIMITS, ...limits };
  }

  /** The first reason the text must not be parsed, or undefined. Linear in the text. */
  check(text: string): XmlIssue | undefined {
    // Without a DOCTYPE there is no DTD and no entity to expand, and libxml2 refuses nesting
    // deeper than LIBXML_MAX_DEPTH itself: only the size needs checking (payloads' hot path).
    // XInclude and catalog PIs are never acted on, but still get the scan's clear refusal.
    if (
      this.limits.maxDepth >= LIBXML_MAX_DEPTH &&
      !text.includes('<!DOCTYPE') &&
      !text.includes('XInclude') &&
      !text.includes('oasis-xml-catalog')
    ) {
      return this.sizeIssue(text);
    }
    return this.inspect(text, false).issue;
  }

  /**
   * Checks, then parses. Problems carry `file`; namespace errors (an undeclared prefix) are
   * reported too, with the document still returned.
   */
  parse(text: string, file: string, options: { url?: string; spans?: boolean } = {}): ParsedXml {
    const { issue, spans } = this.inspect(text, options.spans ?? false);
    if (issue) return { problems: [{ file, ...issue, code: 'xml_unsafe' }], spans: [] };
    let doc: Document;
    try {
      doc = parseXml(text, { ...SAFE_PARSE_OPTIONS, baseUrl: options.url });
    } catch (error) {
      const e = error as LibxmlSyntaxError;
      return {
        problems: [
          {
            file,
            line: e.line ?? undefined,
            column: e.column || undefined,
            message: `not well-formed XML: ${clean(e.message)}`,
            code: 'syntax_error',
          },
        ],
        spans: [],
      };
    }
    const problems: SchemaProblem[] = (doc.errors as LibxmlSyntaxError[])
      .filter((e) => (e.level ?? 2) >= 2)
      .map((e) => ({
        file,
        line: e.line ?? undefined,
        column: e.column || undefined,
        message: clean(e.message),
        code: 'syntax_error',
      }));
    return { doc, problems, spans };
  }

  private sizeIssue(text: string): XmlIssue | undefined {
    const bytes = text.length * 3 <= this.limits.maxBytes ? 0 : Buffer.byteLength(text, 'utf8');
    if (bytes <= this.limits.maxBytes) return undefined;
    return {
      message: `the document is ${bytes} bytes; at most ${this.limits.maxBytes} are accepted`,
      line: 1,
      column: 1,
    };
  }

  private inspect(text: string, spans: boolean): { issue?: XmlIssue; spans: XmlElementSpan[] } {
    const tooBig = this.sizeIssue(text);
    if (tooBig) return { issue: tooBig, spans: [] };
    const result = scanXml(text, this.limits, spans);
    if (!result.issue) return { spans: result.spans };
    const { line, column } = lineColumn(text, result.issue.offset);
    return { issue: { message: result.issue.message, line, column }, spans: [] };
  }
}

/** libxml2 messages end with a newline and sometimes repeat the line; keep the sentence. */
export function clean(message: string): string {
  return message.replace(/\s+$/, '').replace(/\s+line \d+$/, '');
}
