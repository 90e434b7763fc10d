import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { provideFormlyCore } from '@ngx-formly/core';
import { withFormlyMaterial } from '@ngx-formly/material';

import { type AdapterDetailDto, type CreateAdapterDto } from '@integrixs/api-client';
import { ADAPTER_TYPES } from '@integrixs/domain';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiResult } from '../../api/api-result';
import { AdapterForm } from './adapter-form';
import { formlyMessages } from './adapter-form-fields';

const SFTP: AdapterDetailDto = {
  id: 'a-1',
  version: 3,
  createdAt: '2026-11-25T14:21:15.123Z',
  updatedAt: '2026-11-25T14:21:15.123Z',
  createdBy: 'u-1',
  updatedBy: 'u-1',
  updatedByName: 'bea',
  packageId: 'p-1',
  type: 'ADAPTER',
  name: 'ERP outbox',
  description: '',
  tags: [],
  status: 'DRAFT',
  currentVersion: 3,
  lock: null,
  content: {},
  contentHash: 'x',
  versionMessage: '',
  adapterType: 'SFTP',
  direction: 'TARGET',
  configuration: {
    host: 'sftp.example.com',
    username: 'erp',
    password: { set: true },
    hostKeyFingerprint: `SHA256:${'A'.repeat(43)}`,
    remoteFolder: '/out',
  },
  schemas: {},
};

/** AdaptersApi.create/update answering what the test queued, recording each body. */
class FakeAdaptersApi {
  readonly bodies: unknown[] = [];
  readonly versions: number[] = [];
  answer: ApiResult<AdapterDetailDto> = { ok: true, data: SFTP };

  create(_packageId: string, body: CreateAdapterDto) {
    this.bodies.push(body);
    return Promise.resolve(this.answer);
  }

  update(_packageId: string, _id: string, version: number, body: unknown) {
    this.versions.push(version);
    this.bodies.push(body);
    const answer = this.answer;
    if (this.answerAfter) this.answer = this.answerAfter;
    return Promise.resolve(answer);
  }

  /** The next answer after one update (e.g. a 412, then the overwrite's success). */
  answerAfter: ApiResult<AdapterDetailDto> | null = null;
  /** What GET answers: the version someone else saved (after a 412). */
  saved: ApiResult<AdapterDetailDto> = {
    ok: false,
    failure: { status: 404, problem: null, retryAfter: null },
  };

  get() {
    return Promise.resolve(this.saved);
  }
}

/** The version another user saved meanwhile: another description, by ada. */
const THEIRS: AdapterDetailDto = {
  ...SFTP,
  version: 5,
  currentVersion: 5,
  description: 'Changed by Ada',
  updatedByName: 'ada',
};

const dialogButton = (name: string) =>
  [...document.querySelectorAll<HTMLButtonElement>('mat-dialog-container button')].find(
    (b) => b.textContent?.trim() === name,
  );

/** Lets the conflict dialog open (its animation and change detection). */
async function dialogOpen(): Promise<void> {
  for (let i = 0; i < 50 && !dialogButton('Reload theirs'); i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

const problem = (status: number, errors: { path: string; message: string }[]) => ({
  ok: false as const,
  failure: {
    status,
    retryAfter: null,
    problem: {
      type: 'about:blank',
      title: 'Refused',
      status,
      detail: 'refused',
      code: status === 412 ? 'version_conflict' : 'configuration_invalid',
      instance: '/',
      traceId: 't',
      errors: errors.map((e) => ({ ...e, code: 'x' })),
    } as never,
  },
});

describe('AdapterForm', () => {
  let fixture: ComponentFixture<AdapterForm>;
  let api: FakeAdaptersApi;
  let element: HTMLElement;

  const settle = async () => {
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
  };
  const input = (id: string) => element.querySelector<HTMLInputElement>(`input[id*="_${id}_"]`);
  const labelled = (text: string) =>
    [...element.querySelectorAll('mat-form-field')].find((f) =>
      f.querySelector('mat-label')?.textContent?.trim().startsWith(text),
    );
  const submit = () => element.querySelector<HTMLButtonElement>('button[type="submit"]');

  afterEach(() => TestBed.inject(MatDialog).closeAll());

  async function open(adapter: AdapterDetailDto | null, canWrite = true) {
    api = new FakeAdaptersApi();
    TestBed.configureTestingModule({
      providers: [
        provideFormlyCore([...withFormlyMaterial(), formlyMessages]),
        { provide: AdaptersApi, useValue: api },
      ],
    });
    fixture = TestBed.createComponent(AdapterForm);
    fixture.componentRef.setInput('packageId', 'p-1');
    fixture.componentRef.setInput('adapter', adapter);
    fixture.componentRef.setInput('canWrite', canWrite);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  it.each(ADAPTER_TYPES)('renders the %s configuration form from its JSON Schema', async (type) => {
    await open(null);
    const select = element.querySelector<HTMLSelectElement>(
      'select[formcontrolname="adapterType"]',
    );
    if (!select) throw new Error('no type select');
    select.value = type;
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(element.querySelector('formly-form legend')?.textContent).toMatch(/adapter$/);
    expect(
      element.querySelectorAll('formly-form input, formly-form mat-select').length,
    ).toBeGreaterThan(2);
  });

  it('never prefills a stored secret, says it is set, and keeps it by leaving it out', async () => {
    await open(SFTP);
    expect(input('password')?.type).toBe('password');
    expect(input('password')?.value).toBe('');
    expect(labelled('Password')?.textContent).toContain('Set — write-only');
    expect(labelled('Private key')?.textContent).toContain('Not set — write-only');

    submit()?.click();
    await settle();
    expect(api.versions).toEqual([3]);
    const sent = api.bodies[0] as { configuration: Record<string, unknown> };
    expect(sent.configuration).not.toHaveProperty('password');
    expect(sent.configuration).toMatchObject({ host: 'sftp.example.com', username: 'erp' });
  });

  it('shows a 422 message on the field its JSON pointer names', async () => {
    await open(SFTP);
    api.answer = problem(422, [{ path: '/configuration/host', message: 'must match pattern' }]);
    submit()?.click();
    await settle();
    expect(labelled('Host')?.querySelector('mat-error')?.textContent).toContain(
      'must match pattern',
    );
  });

  it('opens the conflict dialog on a 412: "Reload theirs" shows the saved version', async () => {
    await open(SFTP);
    api.answer = problem(412, []);
    api.saved = { ok: true, data: THEIRS };
    const reloaded: AdapterDetailDto[] = [];
    fixture.componentInstance.reloaded.subscribe((adapter) => reloaded.push(adapter));
    submit()?.click();
    await dialogOpen();
    const dialog = document.querySelector('mat-dialog-container');
    expect(dialog?.textContent?.replace(/\s+/g, ' ')).toContain(
      'The adapter ERP outbox was changed by ada',
    );
    // Only what differs: the description (not the configuration both sides agree on).
    const rows = [...(dialog?.querySelectorAll('tbody tr') ?? [])].map((row) =>
      [...row.children].map((cell) => cell.textContent?.trim()),
    );
    expect(rows).toEqual([['Description', '—', 'Changed by Ada']]);
    dialogButton('Reload theirs')?.click();
    for (let i = 0; i < 50 && reloaded.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reloaded).toEqual([THEIRS]);
    expect(api.versions).toEqual([3]);
  });

  it('"Overwrite with mine" sends the same body again against the saved version', async () => {
    await open(SFTP);
    api.answer = problem(412, []);
    api.answerAfter = { ok: true, data: { ...SFTP, version: 6, currentVersion: 6 } };
    api.saved = { ok: true, data: THEIRS };
    const saved: AdapterDetailDto[] = [];
    fixture.componentInstance.saved.subscribe((adapter) => saved.push(adapter));
    submit()?.click();
    await dialogOpen();
    dialogButton('Overwrite with mine')?.click();
    for (let i = 0; i < 50 && saved.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(api.versions).toEqual([3, 5]);
    expect(api.bodies[1]).toEqual(api.bodies[0]);
    expect(saved.map((a) => a.version)).toEqual([6]);
  });

  it('offers to reload when someone else changed the adapter (412) and theirs cannot be read', async () => {
    await open(SFTP);
    api.answer = problem(412, []);
    let reloads = 0;
    fixture.componentInstance.reload.subscribe(() => reloads++);
    submit()?.click();
    await settle();
    const reload = [...element.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Reload',
    );
    reload?.click();
    expect(reloads).toBe(1);
  });

  it('is read-only without asset:write: no submit button, every field disabled', async () => {
    await open(SFTP, false);
    expect(submit()).toBeNull();
    expect(input('host')?.disabled).toBe(true);
    expect(element.querySelector<HTMLInputElement>('input[formcontrolname="name"]')?.disabled).toBe(
      true,
    );
  });

  it('edits HTTP headers as name/value rows and sends them as one object', async () => {
    await open({
      ...SFTP,
      adapterType: 'HTTP',
      configuration: { baseUrl: 'https://api.example.com', headers: { 'X-Tenant': 'acme' } },
    });
    const field = () => element.querySelector('ix-formly-key-value');
    const inputs = () => [...(field()?.querySelectorAll('input') ?? [])];
    expect(inputs().map((i) => i.value)).toEqual(['X-Tenant', 'acme']);

    const add = [...(field()?.querySelectorAll('button') ?? [])].find((b) =>
      b.textContent?.includes('Add'),
    );
    add?.click();
    await settle();
    const [, , name, value] = inputs();
    if (!name || !value) throw new Error('no new row');
    name.value = 'Accept';
    name.dispatchEvent(new Event('input'));
    value.value = 'application/json';
    value.dispatchEvent(new Event('input'));
    await settle();

    submit()?.click();
    await settle();
    const sent = api.bodies[0] as { configuration: Record<string, unknown> };
    expect(sent.configuration['headers']).toEqual({
      'X-Tenant': 'acme',
      Accept: 'application/json',
    });
  });

  it("picks a SOAP adapter's WSDL from the readable WSDL schemas", async () => {
    await open({
      ...SFTP,
      adapterType: 'SOAP',
      configuration: { wsdlAssetId: 'w-2', service: 'S', port: 'P', operation: 'O' },
    });
    fixture.componentRef.setInput('wsdls', [
      { id: 'w-1', name: 'Weather', packageName: 'Demo', schemaType: 'WSDL' },
      { id: 'w-2', name: 'Orders', packageName: 'ERP', schemaType: 'WSDL' },
    ]);
    await settle();
    const select = labelled('WSDL')?.querySelector<HTMLElement>('mat-select');
    expect(select?.textContent).toContain('Orders (ERP)');
    select?.click();
    await settle();
    const options = [...document.querySelectorAll('mat-option')].map((o) => o.textContent?.trim());
    expect(options).toEqual(['Weather (Demo)', 'Orders (ERP)']);
  });

  it("sends only the chosen type's fields after switching types on a new adapter", async () => {
    await open(null);
    const select = element.querySelector<HTMLSelectElement>(
      'select[formcontrolname="adapterType"]',
    );
    if (!select) throw new Error('no type select');
    select.value = 'HTTP';
    select.dispatchEvent(new Event('change'));
    await settle();
    const name = element.querySelector<HTMLInputElement>('input[formcontrolname="name"]');
    if (!name) throw new Error('no name input');
    name.value = 'Partner API';
    name.dispatchEvent(new Event('input'));
    const baseUrl = input('baseUrl');
    if (!baseUrl) throw new Error('no base URL input');
    baseUrl.value = 'https://api.example.com';
    baseUrl.dispatchEvent(new Event('input'));
    await settle();
    submit()?.click();
    await settle();
    const sent = api.bodies[0] as { adapterType: string; configuration: Record<string, unknown> };
    expect(sent.adapterType).toBe('HTTP');
    expect(sent.configuration).toMatchObject({ baseUrl: 'https://api.example.com' });
    expect(sent.configuration).not.toHaveProperty('filePattern');
  });
});
