import { TestBed } from '@angular/core/testing';

import { type MappingDetailDto, type SchemaFieldDto } from '@integrixs/api-client';

import { MappingDraft } from './mapping-draft';

const field = (
  path: string,
  kind: SchemaFieldDto['kind'],
  extra: Partial<SchemaFieldDto> = {},
) => ({ path, name: path.split('/').pop() ?? '', kind, ...extra });

const INVOICE = field('/Invoice', 'element');
const ISSUE_DATE = [INVOICE, field('/Invoice/IssueDate', 'element')];
const LINE = field('/Invoice/InvoiceLine', 'element', { maxOccurs: 'unbounded' });
const LINE_ID = [
  INVOICE,
  LINE,
  field('/Invoice/InvoiceLine/ID', 'element', {
    children: [field('/Invoice/InvoiceLine/ID/@schemeID', 'attribute')],
  }),
];
const ROOT = field('/', 'property');
const ISSUE_DATE_TARGET = [ROOT, field('/issueDate', 'property')];
const LINES_ID_TARGET = [
  ROOT,
  field('/lines', 'property'),
  field('/lines[]', 'items'),
  field('/lines[]/id', 'property'),
];

function mapping(extra: Partial<MappingDetailDto> = {}): MappingDetailDto {
  return {
    id: 'm-1',
    packageId: 'p-1',
    type: 'MAPPING',
    name: 'Invoice to summary',
    description: '',
    tags: [],
    status: 'DRAFT',
    version: 3,
    currentVersion: 3,
    contentHash: 'h',
    createdAt: '2026-11-29T08:00:00.000Z',
    createdBy: 'u-1',
    updatedAt: '2026-11-29T08:00:00.000Z',
    updatedBy: 'u-1',
    updatedByName: 'bea',
    lock: null,
    content: {},
    kind: 'JSONATA',
    sourceSchema: { assetId: 's-1', version: 2, root: 'Invoice' },
    targetSchema: { assetId: 't-1', version: null, root: null },
    rules: [{ target: '/id', expression: 'ID.`#text`' }],
    documentExpression: null,
    stylesheet: null,
    files: [],
    warnings: [],
    ...extra,
  };
}

describe('MappingDraft', () => {
  let draft: MappingDraft;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [MappingDraft] });
    draft = TestBed.inject(MappingDraft);
  });

  it('makes a rule from a source pick followed by a target pick', () => {
    draft.pick('source', LINE_ID);
    expect(draft.pending()?.side).toBe('source');
    draft.pick('target', LINES_ID_TARGET);
    expect(draft.rules()).toEqual([
      { target: '/lines[]/id', expression: 'InvoiceLine.ID.`#text`' },
    ]);
    expect(draft.pending()).toBeNull();
    expect(draft.lastRule()).toBe(0);
  });

  it('makes the same rule when the target is picked first', () => {
    draft.pick('target', ISSUE_DATE_TARGET);
    draft.pick('source', ISSUE_DATE);
    expect(draft.rules()).toEqual([{ target: '/issueDate', expression: 'IssueDate' }]);
  });

  it('lets go of a pick picked again, and moves a pick within one tree', () => {
    draft.pick('source', ISSUE_DATE);
    draft.pick('source', ISSUE_DATE);
    expect(draft.pending()).toBeNull();
    draft.pick('source', ISSUE_DATE);
    draft.pick('source', LINE_ID);
    expect(draft.pending()?.chain).toBe(LINE_ID);
    expect(draft.rules()).toEqual([]);
  });

  it('marks the rules mapped in the target tree over the missing fields of the last check', () => {
    draft.completeness.set({
      targetVersion: 1,
      complete: false,
      covered: [],
      missingRequired: [{ path: '/issueDate' }, { path: '/lines' }],
      unmappedOptional: [],
    });
    draft.connect(ISSUE_DATE, ISSUE_DATE_TARGET);
    expect(draft.marks().get('/issueDate')).toBe('mapped');
    expect(draft.marks().get('/lines')).toBe('missing');
  });

  it('puts the located problems of a refused save on their rules and drops them when edited', () => {
    draft.load(mapping({ rules: [{ target: '/id', expression: 'ID.[' }] }));
    draft.problems.set([
      { location: 'rules[0]', position: 4, code: 'syntax_error', message: 'Expected "]"' },
      { location: 'document', code: 'syntax_error', message: 'unexpected' },
    ]);
    expect(draft.ruleDiagnostics().get(0)).toEqual([{ from: 3, to: 4, message: 'Expected "]"' }]);
    expect(draft.documentDiagnostics()).toEqual([{ from: 0, to: 0, message: 'unexpected' }]);
    draft.setExpression(0, 'ID');
    expect(draft.ruleDiagnostics().get(0)).toBeUndefined();
    expect(draft.documentDiagnostics()).toHaveLength(1);
  });

  it('sends what was loaded, keeping pinned versions until another schema is chosen', () => {
    draft.load(mapping());
    draft.connect(ISSUE_DATE, ISSUE_DATE_TARGET);
    expect(draft.body()).toEqual({
      name: 'Invoice to summary',
      kind: 'JSONATA',
      sourceSchema: { assetId: 's-1', version: 2, root: 'Invoice' },
      targetSchema: { assetId: 't-1', version: null, root: null },
      rules: [
        { target: '/id', expression: 'ID.`#text`' },
        { target: '/issueDate', expression: 'IssueDate' },
      ],
      documentExpression: null,
    });
    draft.chooseSource({ schemaId: 's-2', root: null });
    expect(draft.body().sourceSchema).toEqual({ assetId: 's-2', version: null, root: null });
  });

  it('sends an XSLT mapping as its stylesheet and files, without rules', () => {
    draft.load(mapping({ kind: 'XSLT', rules: [], stylesheet: '<xsl:stylesheet/>', files: [] }));
    expect(draft.body()).toMatchObject({
      kind: 'XSLT',
      stylesheet: '<xsl:stylesheet/>',
      files: [],
    });
    expect(draft.body()).not.toHaveProperty('rules');
  });

  it('keeps a pinned version when only the root changes and sends the version a side picks (or latest)', () => {
    draft.load(mapping());
    draft.chooseSource({ schemaId: 's-1', root: 'CreditNote' });
    expect(draft.body().sourceSchema).toEqual({ assetId: 's-1', version: 2, root: 'CreditNote' });
    draft.chooseSource({ schemaId: 's-1', root: 'CreditNote', version: 1 });
    expect(draft.body().sourceSchema.version).toBe(1);
    draft.chooseTarget({ schemaId: 't-1', root: null, version: 4 });
    expect(draft.body().targetSchema).toEqual({ assetId: 't-1', version: 4, root: null });
    draft.chooseSource({ schemaId: 's-1', root: null, version: null });
    expect(draft.body().sourceSchema.version).toBeNull();
  });

  it('adds, renames and removes the files of an XSLT bundle, refusing a path already taken', () => {
    draft.load(mapping({ kind: 'XSLT', rules: [], stylesheet: '<main/>', files: [] }));
    draft.addFile('common.xsl', '<a/>');
    draft.addFile('dates.xsl', '<b/>');
    expect(draft.renameFile(1, 'common.xsl')).toBe(false);
    expect(draft.renameFile(1, ' ')).toBe(false);
    expect(draft.renameFile(1, 'lib/dates.xsl')).toBe(true);
    draft.setFileText(0, '<c/>');
    draft.removeFile(0);
    expect(draft.body()).toMatchObject({
      stylesheet: '<main/>',
      files: [{ path: 'lib/dates.xsl', text: '<b/>' }],
    });
  });

  it('puts each save problem on the file its location names', () => {
    draft.load(
      mapping({
        kind: 'XSLT',
        rules: [],
        stylesheet: '<main/>',
        files: [{ path: 'common.xsl', text: 'one\ntwo' }],
      }),
    );
    draft.problems.set([
      { location: 'common.xsl:2', message: 'unknown function', code: 'syntax_error' },
      { location: 'stylesheet:1', message: 'not well-formed', code: 'syntax_error' },
    ] as never);
    expect(draft.fileDiagnostics('common.xsl')).toEqual([
      { from: 4, to: 7, message: 'common.xsl:2: unknown function' },
    ]);
    expect(draft.stylesheetDiagnostics().map((d) => d.message)).toEqual([
      'stylesheet:1: not well-formed',
    ]);
  });
});
