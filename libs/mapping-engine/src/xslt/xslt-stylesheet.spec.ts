import { normalisedXml } from '../canonical/xml-equivalence';
import { MappingCompileError } from '../jsonata/mapping-model';
import { prepareTransform } from '../run/payload-io';
import { CompiledStylesheet } from './xslt-stylesheet';

const INPUT = '<a><b k="x">1</b><b k="y">2</b><b k="x">3</b><c>hello world</c></a>';

const sheet = (body: string, top = '', version = '1.0') =>
  `<xsl:stylesheet version="${version}" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">${top}<xsl:template match="/"><r>${body}</r></xsl:template></xsl:stylesheet>`;

const run = (stylesheet: string, files?: Record<string, string>) =>
  prepareTransform({
    kind: 'XSLT',
    stylesheet,
    files,
    source: { format: 'XML' },
    target: { format: 'XML' },
  }).run(INPUT);

describe('XSLT mappings (xslt-processor: XSLT 1.0 + xsl:for-each-group)', () => {
  it.each([
    ['value-of and sum()', sheet('<xsl:value-of select="sum(//b)"/>'), '<r>6</r>'],
    [
      'for-each with a numeric descending sort',
      sheet(
        '<xsl:for-each select="//b"><xsl:sort select="." order="descending" data-type="number"/><xsl:value-of select="."/></xsl:for-each>',
      ),
      '<r>321</r>',
    ],
    [
      'keys',
      sheet(
        `<xsl:value-of select="count(key('k','x'))"/>`,
        '<xsl:key name="k" match="b" use="@k"/>',
      ),
      '<r>2</r>',
    ],
    [
      'templates with modes and named templates with parameters',
      sheet(
        '<xsl:apply-templates select="//b" mode="m"/><xsl:call-template name="t"><xsl:with-param name="p" select="2"/></xsl:call-template>',
        '<xsl:template match="b" mode="m">[<xsl:value-of select="."/>]</xsl:template><xsl:template name="t"><xsl:param name="p"/><xsl:value-of select="$p * 3"/></xsl:template>',
      ),
      '<r>[1][2][3]6</r>',
    ],
    [
      'format-number',
      sheet(`<xsl:value-of select="format-number(1234.5, '#,##0.00')"/>`),
      '<r>1,234.50</r>',
    ],
    [
      'attribute value templates and xsl:element',
      sheet(
        '<xsl:element name="e"><xsl:attribute name="n"><xsl:value-of select="//c"/></xsl:attribute></xsl:element><i v="{count(//b)}"/>',
      ),
      '<r><e n="hello world"/><i v="3"/></r>',
    ],
    [
      'xsl:for-each-group',
      sheet(
        '<xsl:for-each-group select="//b" group-by="@k"><g k="{current-grouping-key()}"><xsl:value-of select="count(current-group())"/></g></xsl:for-each-group>',
        '',
        '2.0',
      ),
      '<r><g k="x">2</g><g k="y">1</g></r>',
    ],
    [
      'xsl:include from the mapping’s own files',
      sheet('<xsl:call-template name="inc"/>', '<xsl:include href="inc.xsl"/>'),
      '<r>included</r>',
    ],
  ])('runs %s', async (_name, stylesheet, expected) => {
    const files = {
      'inc.xsl':
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template name="inc">included</xsl:template></xsl:stylesheet>',
    };
    expect(normalisedXml(await run(stylesheet, files))).toEqual(normalisedXml(expected));
  });

  it.each([
    [
      'xsl:result-document (dropped silently by the engine)',
      sheet('<xsl:result-document href="x.xml"><z/></xsl:result-document>', '', '2.0'),
      /stylesheet:1: xsl:result-document is not supported/,
    ],
    [
      'xsl:analyze-string',
      sheet(
        '<xsl:analyze-string select="//c" regex="o"><xsl:matching-substring>O</xsl:matching-substring></xsl:analyze-string>',
        '',
        '2.0',
      ),
      /xsl:analyze-string is not supported/,
    ],
    [
      'xsl:function',
      sheet(
        '',
        '<xsl:function name="f:d" xmlns:f="urn:f"><xsl:param name="x"/></xsl:function>',
        '2.0',
      ),
      /xsl:function is not supported/,
    ],
    [
      'replace() (wrong results in the engine)',
      sheet(`<xsl:value-of select="replace(//c, 'o', '0')"/>`),
      /the function replace\(\) is not supported/,
    ],
    [
      'tokenize() in an attribute value template',
      sheet(`<i n="{count(tokenize(//c, ' '))}"/>`),
      /the function tokenize\(\) is not supported/,
    ],
    [
      'document()',
      sheet(`<xsl:copy-of select="document('file:///etc/passwd')"/>`),
      /document\(\) is not supported/,
    ],
    [
      'an include the mapping does not have',
      sheet('', '<xsl:include href="missing.xsl"/>'),
      /missing.xsl: the mapping has no such file/,
    ],
    ['something that is not a stylesheet', '<a/>', /not an XSLT stylesheet/],
    ['XML that is not well-formed', '<xsl:stylesheet', /not well-formed/],
  ])('refuses %s, naming the construct', (_name, stylesheet, message) => {
    expect(() => CompiledStylesheet.compile(stylesheet)).toThrow(MappingCompileError);
    expect(() => CompiledStylesheet.compile(stylesheet)).toThrow(message);
  });

  it('does not mistake node tests or string literals for functions', () => {
    expect(() =>
      CompiledStylesheet.compile(
        sheet(`<xsl:value-of select="count(//text()) + string-length('upper-case(x)')"/>`),
      ),
    ).not.toThrow();
  });

  it('refuses input XML that is not well-formed before the lenient engine parser sees it', async () => {
    const transform = prepareTransform({
      kind: 'XSLT',
      stylesheet: sheet('<xsl:value-of select="count(//b)"/>'),
      source: { format: 'XML' },
      target: { format: 'XML' },
    });
    await expect(transform.run('<a><b></a>')).rejects.toThrow(/not accepted as XML/);
  });
});
