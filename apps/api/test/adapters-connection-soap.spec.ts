import { refusedPort, startSoapServer, type TestSoapServer } from '@integrixs/adapters/testing';

import { createPackage } from './support/access-fixtures';
import {
  connectionTest,
  createAdapter,
  expectKept,
  failedStep,
  putOverlay,
  summary,
} from './support/adapter-connections';
import { corpusText, corpusUpload, createSchema, schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

interface Problem {
  errors: { path: string; message: string; code: string }[];
}

/**
 * SOAP connection tests through the API against the `soap` package's listener serving WSDLs from
 * the shared corpus: a single-document WSDL, and a multi-file bundle (main.wsdl imports sub.wsdl,
 * which imports ./xsd.xsd) whose imports resolve from the stored bundle, never fetched.
 */
describe('SOAP connection tests through the API, against a real SOAP listener', () => {
  let t: TestApp;
  let pkg: string;
  let hello: TestSoapServer;
  let imported: TestSoapServer;
  let helloUrl: string;
  let bundleWsdlId: string;

  beforeAll(async () => {
    hello = await startSoapServer({
      wsdl: 'hello.wsdl',
      path: '/SayHello/',
      services: {
        Hello_Service: {
          Hello_Port: {
            sayHello: (a: { firstName: string }) => ({ greeting: `Hi ${a.firstName}` }),
          },
        },
      },
    });
    imported = await startSoapServer({
      wsdl: 'wsdlImport/main.wsdl',
      path: '/UserRemoteService',
      services: {
        UserRemoteServiceImplService: {
          UserRemoteServiceImplPort: { getLatestVersion: () => ({ return: 7 }) },
        },
      },
    });
    t = await startTestApp();
    pkg = await createPackage(t, 'SOAP connections');
    const helloWsdl = await createSchema(
      t,
      pkg,
      schemaDocument('Hello WSDL', corpusText('wsdl/hello.wsdl'), 'WSDL'),
    );
    bundleWsdlId = (
      await createSchema(
        t,
        pkg,
        corpusUpload('User service WSDL', 'WSDL', 'wsdl/wsdlImport', 'main.wsdl', (p) =>
          ['main.wsdl', 'sub.wsdl', 'xsd.xsd'].includes(p),
        ),
      )
    ).id;
    helloUrl = await createAdapter(t, pkg, {
      name: 'Hello service',
      adapterType: 'SOAP',
      direction: 'TARGET',
      configuration: {
        wsdlAssetId: helloWsdl.id,
        service: 'Hello_Service',
        port: 'Hello_Port',
        operation: 'sayHello',
        endpointOverride: hello.url,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([hello?.close(), imported?.close()]);
  });

  const bundleAdapter = (operation: string) => ({
    name: `User service ${operation}`,
    adapterType: 'SOAP',
    direction: 'TARGET',
    configuration: {
      wsdlAssetId: bundleWsdlId,
      service: 'UserRemoteServiceImplService',
      port: 'UserRemoteServiceImplPort',
      operation,
      endpointOverride: imported.url,
    },
  });

  it('finds the operation in the WSDL and reaches the endpoint, in order', async () => {
    const result = await connectionTest(t, helloUrl, 'DEV');
    expect(summary(result)).toEqual([
      'wsdl:passed',
      'operation:passed',
      'resolve:passed',
      'connect:passed',
      'request:skipped',
    ]);
    expect(result.steps[1].message).toBe(
      `operation sayHello found in Hello_Service/Hello_Port, endpoint ${hello.url}`,
    );
  });

  it('calls the operation with the given input and reports the call', async () => {
    const result = await connectionTest(t, helloUrl, 'DEV', { callWith: { firstName: 'Ada' } });
    expect(summary(result)).toEqual([
      'wsdl:passed',
      'operation:passed',
      'resolve:passed',
      'connect:passed',
      'request:passed',
    ]);
    expect(result.steps[4].message).toBe('sayHello called successfully');
  });

  it('refuses a call input that is not an object, naming callWith', async () => {
    const response = await t.request({
      method: 'POST',
      url: `${helloUrl}/test?environment=DEV`,
      payload: { callWith: 'Ada' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('callWith');
  });

  it('fails at operation when TEST names an operation the WSDL does not have', async () => {
    await putOverlay(t, helloUrl, 'TEST', { operation: 'sayGoodbye' });
    const result = await connectionTest(t, helloUrl, 'TEST');
    expect(failedStep(result)).toMatchObject({
      step: 'operation',
      message: 'operation sayGoodbye not found in port Hello_Port (has: sayHello)',
    });
    expect(summary(result).slice(2)).toEqual([
      'resolve:skipped',
      'connect:skipped',
      'request:skipped',
    ]);
  });

  it('fails at connect when nothing listens on the PROD endpoint', async () => {
    const port = await refusedPort();
    await putOverlay(t, helloUrl, 'PROD', { endpointOverride: `http://127.0.0.1:${port}/x` });
    const result = await connectionTest(t, helloUrl, 'PROD');
    expect(failedStep(result)).toMatchObject({
      step: 'connect',
      message: `connection refused on 127.0.0.1:${port}`,
    });
  });

  it('checks the operation of a multi-file WSDL bundle on save, and tests it from the bundle', async () => {
    const refused = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/adapters`,
      payload: bundleAdapter('getOldestVersion'),
    });
    expect(refused.statusCode).toBe(422);
    expect(json<Problem>(refused).errors).toEqual([
      expect.objectContaining({ path: '/configuration/operation', code: 'not_found' }),
    ]);
    const url = await createAdapter(t, pkg, bundleAdapter('getLatestVersion'));
    const result = await connectionTest(t, url, 'DEV');
    expect(summary(result)).toEqual([
      'wsdl:passed',
      'operation:passed',
      'resolve:passed',
      'connect:passed',
      'request:skipped',
    ]);
    await expectKept(t, url, [result]);
  });

  it('keeps the last result per adapter and environment', async () => {
    const results = [
      await connectionTest(t, helloUrl, 'DEV'),
      await connectionTest(t, helloUrl, 'TEST'),
      await connectionTest(t, helloUrl, 'PROD'),
    ];
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
    await expectKept(t, helloUrl, results);
  });
});
