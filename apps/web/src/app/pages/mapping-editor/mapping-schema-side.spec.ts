import { TestBed, type ComponentFixture } from '@angular/core/testing';

import {
  type AssetSearchResultDto,
  type SchemaStructureDto,
  type SchemaVersionPageDto,
} from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { MappingsApi } from '../../api/mappings-api.service';
import { MappingSchemaSide, type SideChoice } from './mapping-schema-side';

const WEATHER = {
  id: 'w-1',
  packageId: 'p-1',
  name: 'Weather',
  packageName: 'Demo',
  schemaType: 'WSDL',
} as AssetSearchResultDto;

const WSDL_STRUCTURE: SchemaStructureDto = {
  type: 'WSDL',
  version: 3,
  roots: [
    { path: '/GetWeatherRequest', name: 'GetWeatherRequest', kind: 'element' },
    { path: '/GetWeatherResponse', name: 'GetWeatherResponse', kind: 'element' },
  ],
};

const VERSIONS: SchemaVersionPageDto = {
  items: [3, 2, 1].map((version) => ({
    version,
    contentHash: 'h',
    message: version === 2 ? 'Added the city' : '',
    createdAt: '2026-11-29T08:00:00.000Z',
    createdBy: 'u-1',
    author: 'bea',
  })),
  total: 3,
  nextCursor: null,
};

/** MappingsApi.structure/schemaVersions answering at once, recording each structure query. */
class FakeMappingsApi {
  readonly structureQueries: unknown[] = [];

  structure(
    _packageId: string,
    _schemaId: string,
    query: unknown,
  ): Promise<ApiResult<SchemaStructureDto>> {
    this.structureQueries.push(query);
    return Promise.resolve({ ok: true, data: WSDL_STRUCTURE });
  }

  schemaVersions(): Promise<ApiResult<SchemaVersionPageDto>> {
    return Promise.resolve({ ok: true, data: VERSIONS });
  }
}

describe('MappingSchemaSide', () => {
  let fixture: ComponentFixture<MappingSchemaSide>;
  let api: FakeMappingsApi;
  let element: HTMLElement;
  let emitted: SideChoice[];

  const settle = async () => {
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
    await Promise.resolve();
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
  };
  const select = (id: string) => element.querySelector<HTMLSelectElement>(`#${id}`);
  const labelOf = (id: string) => element.querySelector(`label[for="${id}"]`)?.textContent?.trim();
  const options = (id: string) =>
    [...(select(id)?.options ?? [])].map((o) => o.textContent?.trim());

  async function open(choice: SideChoice) {
    api = new FakeMappingsApi();
    TestBed.configureTestingModule({ providers: [{ provide: MappingsApi, useValue: api }] });
    fixture = TestBed.createComponent(MappingSchemaSide);
    fixture.componentRef.setInput('side', 'source');
    fixture.componentRef.setInput('schemas', [WEATHER]);
    fixture.componentRef.setInput('choice', choice);
    emitted = [];
    fixture.componentInstance.choiceChange.subscribe((c) => emitted.push(c));
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  it("offers a WSDL's messages as roots, labelled Message", async () => {
    await open({ schemaId: 'w-1', root: null, version: null });
    expect(labelOf('source-root')).toBe('Message');
    expect(options('source-root')).toEqual(['GetWeatherRequest', 'GetWeatherResponse']);
    const roots = select('source-root');
    if (!roots) throw new Error('no root select');
    roots.value = 'GetWeatherResponse';
    roots.dispatchEvent(new Event('change'));
    expect(emitted).toEqual([{ schemaId: 'w-1', root: 'GetWeatherResponse', version: null }]);
  });

  it('lists the schema versions after "Latest" and pins the one chosen', async () => {
    await open({ schemaId: 'w-1', root: 'GetWeatherRequest', version: null });
    expect(options('source-version')).toEqual([
      'Latest (follows new versions)',
      'Version 3',
      'Version 2 — Added the city',
      'Version 1',
    ]);
    expect(api.structureQueries).toEqual([{}]);
    const versions = select('source-version');
    if (!versions) throw new Error('no version select');
    versions.value = '2';
    versions.dispatchEvent(new Event('change'));
    expect(emitted).toEqual([{ schemaId: 'w-1', root: 'GetWeatherRequest', version: 2 }]);
  });

  it('reads the structure of the pinned version', async () => {
    await open({ schemaId: 'w-1', root: null, version: 2 });
    expect(api.structureQueries).toEqual([{ version: 2 }]);
    expect(select('source-version')?.value).toBe('2');
  });
});
