import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { SoapAdapterConfig } from '@integrixs/domain';

import type { ConnectionTestResult } from '../shared/steps';
import { startSoapServer, WSDL_CORPUS, type TestSoapServer } from '../testing/soap-server';
import { parseWsdl, testSoapAdapter } from './soap-adapter';
import type { BundleFile } from './wsdl-bundle';

/** A corpus folder as the schema library stores it: every file, paths relative to the folder. */
function bundle(folder: string, keep: (path: string) => boolean = () => true): BundleFile[] {
  return readdirSync(join(WSDL_CORPUS, folder))
    .filter(keep)
    .map((path) => ({ path, text: readFileSync(join(WSDL_CORPUS, folder, path), 'utf8') }));
}
const textOf = (files: BundleFile[], path: string) =>
  files.find((f) => f.path === path)?.text ?? '';
const summary = (r: ConnectionTestResult) => r.steps.map((s) => `${s.step}:${s.status}`);
const step = (r: ConnectionTestResult, name: string) => r.steps.find((s) => s.step === name);

describe('SOAP adapter with a multi-file WSDL bundle (served from memory)', () => {
  let server: TestSoapServer;
  const config = (): SoapAdapterConfig => ({
    wsdlAssetId: '0b5c1b1e-7c0e-4f55-9a59-3c1e6f0a9d21',
    service: 'UserRemoteServiceImplService',
    port: 'UserRemoteServiceImplPort',
    operation: 'getLatestVersion',
    endpointOverride: server.url,
  });
  // main.wsdl imports sub.wsdl (the port type, messages and types), which imports ./xsd.xsd.
  const files = bundle('wsdlImport', (p) => p !== 'overridden.wsdl');

  beforeAll(async () => {
    server = await startSoapServer({
      wsdl: 'wsdlImport/main.wsdl',
      path: '/UserRemoteService',
      services: {
        UserRemoteServiceImplService: {
          UserRemoteServiceImplPort: { getLatestVersion: () => ({ return: 42 }) },
        },
      },
    });
  });
  afterAll(() => server.close());

  it('finds the operation through a wsdl:import and calls it', async () => {
    const result = await testSoapAdapter(
      config(),
      {},
      { wsdl: { xml: textOf(files, 'main.wsdl'), uri: 'main.wsdl', files }, callWith: {} },
    );
    expect(summary(result)).toEqual([
      'wsdl:passed',
      'operation:passed',
      'resolve:passed',
      'connect:passed',
      'request:passed',
    ]);
  });

  it('resolves an xsd:include from the bundle: the included types are known', async () => {
    const included = bundle('xsdinclude');
    const wsdl = await parseWsdl(
      textOf(included, 'xsd_include.wsdl'),
      'xsd_include.wsdl',
      included,
    );
    const types = wsdl.definitions.schemas['http://www.dummy.com/Types'];
    expect(Object.keys(types.types)).toEqual(expect.arrayContaining(['IdType', 'NameType']));
    expect(Object.keys(wsdl.describeServices())).toEqual(['DummyService']);
  });

  it('fails at wsdl naming an import that is not in the bundle', async () => {
    const partial = files.filter((f) => f.path !== 'xsd.xsd');
    const result = await testSoapAdapter(
      config(),
      {},
      { wsdl: { xml: textOf(files, 'main.wsdl'), uri: 'main.wsdl', files: partial } },
    );
    expect(step(result, 'wsdl')).toMatchObject({
      status: 'failed',
      message:
        "sub.wsdl imports ./xsd.xsd, which is not a file of the WSDL's bundle in the schema " +
        'library (imports are never fetched by the adapter)',
    });
    expect(step(result, 'operation')?.status).toBe('skipped');
  });

  it.each([
    ['an absolute URL', (port: number) => `http://127.0.0.1:${port}/types.xsd`],
    ['a file: URL', () => 'file:///etc/passwd'],
    ['a root path', () => '/etc/passwd'],
    ['a path leaving the bundle', () => '../../../../etc/passwd'],
  ])('refuses %s in a bundle file and fetches nothing', async (_what, location) => {
    let fetched = 0;
    const decoy = createServer((_req, res) => {
      fetched += 1;
      res.end('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>');
    });
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    const where = location((decoy.address() as AddressInfo).port);
    const sub = textOf(files, 'sub.wsdl').replace('./xsd.xsd', where);
    const tampered = files.map((f) => (f.path === 'sub.wsdl' ? { ...f, text: sub } : f));
    try {
      const result = await testSoapAdapter(
        config(),
        {},
        { wsdl: { xml: textOf(files, 'main.wsdl'), uri: 'main.wsdl', files: tampered } },
      );
      expect(step(result, 'wsdl')?.status).toBe('failed');
      expect(step(result, 'wsdl')?.message).toContain(`sub.wsdl imports ${where}, which is not`);
      expect(fetched).toBe(0);
    } finally {
      await new Promise<void>((resolve) => decoy.close(() => resolve()));
    }
  });
});
