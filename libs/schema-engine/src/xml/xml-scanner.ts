/**
 * A lexical pass over XML text that runs before any parser sees it: it finds what a parser
 * could be abused with (DTDs with external or nested entities, XInclude, catalog processing
 * instructions, deep nesting) without building anything, in time linear in the text. It does
 * not check well-formedness: the parser does that afterwards.
 */

export interface XmlScanLimits {
  /** Element nesting depth (the root element is depth 1). */
  maxDepth: number;
  /** Entity declarations in an internal DTD subset. */
  maxEntities: number;
  /** Characters in one entity's replacement text. */
  maxEntityLength: number;
  /** Characters all entity references in the document would expand to. */
  maxEntityExpansion: number;
}

export interface XmlScanIssue {
  message: string;
  /** Offset in the text where the problem starts. */
  offset: number;
}

/** Where an element is in the text (document order), when spans are collected. */
export interface XmlElementSpan {
  /** Qualified name as written (`xsd:schema`). */
  name: string;
  /** Offset of the `<` of the start tag. */
  start: number;
  /** Offset just after the start tag's `>`. */
  startTagEnd: number;
  /** Offset just after the end tag (or the start tag, if empty). */
  end: number;
  depth: number;
}

export interface XmlScanResult {
  issue?: XmlScanIssue;
  spans: XmlElementSpan[];
}

const XINCLUDE_NS = /\bxmlns(?::[\w.-]+)?\s*=\s*["']http:\/\/www\.w3\.org\/200[13]\/XInclude["']/;
const NAME_END = /[\s/>]/;
/** A reference inside an entity value, also when spelled as a character reference (`&#38;`). */
const ENTITY_REFERENCE = /&(?!#)|%|&#0*3[78];|&#x0*2[56];/i;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

class Scanner {
  private depth = 0;
  private readonly stack: XmlElementSpan[] = [];
  readonly spans: XmlElementSpan[] = [];
  /** General entities declared in the internal subset: name → replacement length. */
  private readonly entities = new Map<string, number>();
  private entityCount = 0;
  private prologEnd = 0;

  constructor(
    private readonly text: string,
    private readonly limits: XmlScanLimits,
    private readonly collectSpans: boolean,
  ) {}

  run(): XmlScanIssue | undefined {
    const xinclude = this.findXInclude();
    if (xinclude !== undefined) {
      return { message: 'XInclude is not allowed (xi:include could read files)', offset: xinclude };
    }
    const text = this.text;
    let i = 0;
    for (;;) {
      const j = text.indexOf('<', i);
      if (j < 0) break;
      const next = text.charCodeAt(j + 1);
      let end: number;
      if (next === 0x3f /* ? */) {
        end = text.indexOf('?>', j + 2);
        if (end < 0) break;
        const target = /^[^\s?]*/.exec(text.slice(j + 2, Math.min(end, j + 64)))?.[0] ?? '';
        if (target.toLowerCase() === 'oasis-xml-catalog') {
          return {
            message: 'the oasis-xml-catalog processing instruction is not allowed',
            offset: j,
          };
        }
        end += 2;
      } else if (next === 0x21 /* ! */) {
        if (text.startsWith('<!--', j)) {
          end = text.indexOf('-->', j + 4);
          if (end < 0) break;
          end += 3;
        } else if (text.startsWith('<![CDATA[', j)) {
          end = text.indexOf(']]>', j + 9);
          if (end < 0) break;
          end += 3;
        } else if (text.startsWith('<!DOCTYPE', j)) {
          const result = this.doctype(j);
          if (typeof result !== 'number') return result;
          end = result;
          this.prologEnd = end;
        } else {
          end = text.indexOf('>', j + 2);
          if (end < 0) break;
          end += 1;
        }
      } else if (next === 0x2f /* / */) {
        end = text.indexOf('>', j + 2);
        if (end < 0) break;
        end += 1;
        this.depth -= 1;
        const open = this.collectSpans ? this.stack.pop() : undefined;
        if (open) open.end = end;
      } else {
        const tagEnd = this.startTagEnd(j + 1);
        if (tagEnd < 0) break;
        end = tagEnd + 1;
        const empty = text.charCodeAt(tagEnd - 1) === 0x2f;
        const span = this.collectSpans ? this.openSpan(j, end, empty) : undefined;
        if (!empty) {
          this.depth += 1;
          if (this.depth > this.limits.maxDepth) {
            return {
              message: `elements are nested deeper than ${this.limits.maxDepth} levels`,
              offset: j,
            };
          }
          if (span) this.stack.push(span);
        }
      }
      i = end;
    }
    return this.checkExpansion();
  }

  private findXInclude(): number | undefined {
    const text = this.text;
    let at = text.indexOf('XInclude');
    while (at >= 0) {
      const from = Math.max(0, at - 80);
      if (XINCLUDE_NS.test(text.slice(from, at + 10))) return from;
      at = text.indexOf('XInclude', at + 8);
    }
    return undefined;
  }

  private openSpan(start: number, startTagEnd: number, empty: boolean): XmlElementSpan {
    const raw = this.text.slice(start + 1, Math.min(startTagEnd, start + 256));
    const stop = raw.search(NAME_END);
    const span: XmlElementSpan = {
      name: stop < 0 ? raw : raw.slice(0, stop),
      start,
      startTagEnd,
      end: startTagEnd,
      depth: this.depth + 1,
    };
    if (!empty) span.end = -1;
    this.spans.push(span);
    return span;
  }

  /** Next `"` / `'` at or after the last position asked for (kept: the scan only moves on). */
  private nextDouble = -2;
  private nextSingle = -2;

  private nextQuote(from: number): number {
    if (this.nextDouble !== -1 && this.nextDouble < from)
      this.nextDouble = this.text.indexOf('"', from);
    if (this.nextSingle !== -1 && this.nextSingle < from)
      this.nextSingle = this.text.indexOf("'", from);
    if (this.nextDouble < 0) return this.nextSingle;
    if (this.nextSingle < 0) return this.nextDouble;
    return Math.min(this.nextDouble, this.nextSingle);
  }

  /**
   * Index of the `>` closing a start tag, skipping quoted attribute values (which may hold a
   * `>`). Native `indexOf` does the walking; the next-quote positions are remembered, so the
   * whole scan stays linear.
   */
  private startTagEnd(from: number): number {
    const text = this.text;
    let k = from;
    for (;;) {
      const gt = text.indexOf('>', k);
      if (gt < 0) return -1;
      const quote = this.nextQuote(k);
      if (quote < 0 || quote > gt) return gt;
      const close = text.indexOf(text[quote], quote + 1);
      if (close < 0) return -1;
      k = close + 1;
    }
  }

  /** Checks a DOCTYPE; returns the offset after it, or the issue. */
  private doctype(start: number): number | XmlScanIssue {
    const text = this.text;
    let p = start + '<!DOCTYPE'.length;
    p = this.skipSpace(p);
    while (p < text.length && !NAME_END.test(text[p]) && text[p] !== '[') p++;
    p = this.skipSpace(p);
    if (text.startsWith('SYSTEM', p) || text.startsWith('PUBLIC', p)) {
      return {
        message: 'a DOCTYPE with an external DTD (SYSTEM or PUBLIC) is not allowed',
        offset: start,
      };
    }
    if (text[p] === '[') {
      const subsetEnd = this.internalSubset(p + 1);
      if (typeof subsetEnd !== 'number') return subsetEnd;
      p = subsetEnd;
    }
    const close = text.indexOf('>', p);
    return close < 0 ? text.length : close + 1;
  }

  private internalSubset(from: number): number | XmlScanIssue {
    const text = this.text;
    let p = from;
    while (p < text.length) {
      p = this.skipSpace(p);
      if (text[p] === ']') return p + 1;
      if (text.startsWith('<!--', p)) {
        const close = text.indexOf('-->', p + 4);
        if (close < 0) return text.length;
        p = close + 3;
      } else if (text.startsWith('<?', p)) {
        const close = text.indexOf('?>', p + 2);
        if (close < 0) return text.length;
        p = close + 2;
      } else if (text[p] === '%') {
        return {
          message: 'parameter entity references in the DTD are not allowed',
          offset: p,
        };
      } else if (text.startsWith('<!ENTITY', p)) {
        const result = this.entity(p);
        if (typeof result !== 'number') return result;
        p = result;
      } else if (text.startsWith('<!', p)) {
        const close = this.declarationEnd(p + 2);
        if (close < 0) return text.length;
        p = close + 1;
      } else {
        return text.length; // not well-formed: the parser reports it
      }
    }
    return p;
  }

  private entity(start: number): number | XmlScanIssue {
    const text = this.text;
    let p = this.skipSpace(start + '<!ENTITY'.length);
    const parameter = text[p] === '%';
    if (parameter) p = this.skipSpace(p + 1);
    const nameStart = p;
    while (p < text.length && !isSpace(text.charCodeAt(p)) && text[p] !== '>') p++;
    const name = text.slice(nameStart, p);
    p = this.skipSpace(p);
    if (text.startsWith('SYSTEM', p) || text.startsWith('PUBLIC', p)) {
      return {
        message: `external entity "${name}" (SYSTEM or PUBLIC) is not allowed (XXE)`,
        offset: start,
      };
    }
    const quote = text[p];
    if (quote !== '"' && quote !== "'") {
      const end = this.declarationEnd(p);
      return end < 0 ? text.length : end + 1;
    }
    const close = text.indexOf(quote, p + 1);
    if (close < 0) return text.length;
    const value = text.slice(p + 1, close);
    this.entityCount += 1;
    if (this.entityCount > this.limits.maxEntities) {
      return {
        message: `more than ${this.limits.maxEntities} entity declarations are not allowed`,
        offset: start,
      };
    }
    if (ENTITY_REFERENCE.test(value)) {
      return {
        message: `entity "${name}" refers to other entities; nested entities are not allowed (entity expansion attack)`,
        offset: start,
      };
    }
    if (value.length > this.limits.maxEntityLength) {
      return {
        message: `entity "${name}" is ${value.length} characters long; at most ${this.limits.maxEntityLength} are allowed (entity expansion attack)`,
        offset: start,
      };
    }
    if (!parameter) this.entities.set(name, value.length);
    const end = this.declarationEnd(close + 1);
    return end < 0 ? text.length : end + 1;
  }

  /** The `>` ending a markup declaration, skipping quoted literals. */
  private declarationEnd(from: number): number {
    const text = this.text;
    for (let k = from; k < text.length; k++) {
      const code = text.charCodeAt(k);
      if (code === 0x3e) return k;
      if (code === 0x22 || code === 0x27) {
        const close = text.indexOf(code === 0x22 ? '"' : "'", k + 1);
        if (close < 0) return -1;
        k = close;
      }
    }
    return -1;
  }

  private skipSpace(from: number): number {
    let p = from;
    while (p < this.text.length && isSpace(this.text.charCodeAt(p))) p++;
    return p;
  }

  /** Total size the declared entities would expand to where they are referenced. */
  private checkExpansion(): XmlScanIssue | undefined {
    if (this.entities.size === 0) return undefined;
    let total = 0;
    for (const [name, length] of this.entities) {
      const ref = `&${name};`;
      let at = this.text.indexOf(ref, this.prologEnd);
      while (at >= 0) {
        total += length;
        if (total > this.limits.maxEntityExpansion) {
          return {
            message: `entity references would expand to more than ${this.limits.maxEntityExpansion} characters (entity expansion attack)`,
            offset: at,
          };
        }
        at = this.text.indexOf(ref, at + ref.length);
      }
    }
    return undefined;
  }
}

export function scanXml(text: string, limits: XmlScanLimits, collectSpans = false): XmlScanResult {
  const scanner = new Scanner(text, limits, collectSpans);
  const issue = scanner.run();
  return { issue, spans: scanner.spans };
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
