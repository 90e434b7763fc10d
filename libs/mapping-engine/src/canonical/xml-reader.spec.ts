import { type SchemaField } from '@integrixs/schema-engine';

import { CanonicalError } from './canonical-error';
import { readCanonicalXml } from './xml-reader';

/** A small structure by hand: `<a>` with repeating `<b>` (xs:int); the cases are about safety. */
const ROOT: SchemaField = {
  path: '/a',
  name: 'a',
  kind: 'element',
  children: [
    { path: '/a/b', name: 'b', kind: 'element', type: 'xs:int', maxOccurs: 'unbounded' },
    { path: '/a/c', name: 'c', kind: 'element' },
  ],
};

const nested = (depth: number) => `<a>${'<c>'.repeat(depth - 1)}${'</c>'.repeat(depth - 1)}</a>`;

describe('readCanonicalXml (saxes): safety', () => {
  it('reads a small document', () => {
    expect(readCanonicalXml('<a><b>1</b><b>2</b></a>', ROOT)).toEqual({ b: [1, 2] });
  });

  it.each([
    [
      'an external entity',
      '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>',
      /a DOCTYPE is not accepted.*line 1/,
    ],
    [
      'an entity expansion ("billion laughs")',
      '<!DOCTYPE a [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;">]><a>&l2;</a>',
      /a DOCTYPE is not accepted/,
    ],
    ['a DOCTYPE without entities', '<!DOCTYPE a><a/>', /a DOCTYPE is not accepted/],
    ['an undeclared entity', '<a><b>&e;</b></a>', /not accepted as XML: undefined entity/],
    ['an unbound prefix', '<a><p:b>1</p:b></a>', /not accepted as XML: unbound namespace prefix/],
    ['an unclosed element', '<a><b>1</b>', /not accepted as XML/],
    ['text after the document element', '<a/>x', /not accepted as XML: text data outside/],
    ['an empty payload', '', /not accepted as XML|no document element/],
  ])('refuses %s, saying why', (_name, xml, message) => {
    const error = (() => {
      try {
        readCanonicalXml(xml, ROOT);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CanonicalError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a payload over the size cap before parsing it', () => {
    const xml = `<a>${'<b>1</b>'.repeat(200)}</a>`;
    expect(() => readCanonicalXml(xml, ROOT, { limits: { maxBytes: 1000 } })).toThrow(
      /the payload is 1607 bytes; at most 1000 are accepted/,
    );
  });

  it('refuses nesting deeper than the depth cap, and reads up to it', () => {
    expect(() => readCanonicalXml(nested(11), ROOT, { limits: { maxDepth: 10 } })).toThrow(
      /nested deeper than 10 levels.*line 1/,
    );
    expect(readCanonicalXml(nested(10), ROOT, { limits: { maxDepth: 10 } })).toMatchObject({
      c: {},
    });
  });

  it('refuses more elements than the element cap, and reads up to it', () => {
    const xml = `<a>${'<b>1</b>'.repeat(99)}</a>`;
    expect(() => readCanonicalXml(xml, ROOT, { limits: { maxElements: 99 } })).toThrow(
      /more than 99 elements/,
    );
    expect(readCanonicalXml(xml, ROOT, { limits: { maxElements: 100 } })).toEqual({
      b: Array(99).fill(1),
    });
  });

  it('names the wrong document element', () => {
    expect(() => readCanonicalXml('<x xmlns="urn:x"/>', ROOT)).toThrow(
      /the document element is \{urn:x\}x; the schema expects \{\}a \(at \/a\)/,
    );
  });
});
