import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { listen, type Server as SoapServer } from 'soap';

import type { SoapAdapterConfig } from '@integrixs/domain';

import type { ConnectionTestResult } from '../shared/steps';
import { refusedPort } from '../testing/ports';
import { callSoapOperation, parseWsdl, testSoapAdapter } from './soap-adapter';

/** node-soap's hello.wsdl from the shared test corpus (RPC style, one operation). */
const wsdlPath = join(__dirname, '../../../../../shared/corpus/wsdl/hello.wsdl');
const wsdlXml = readFileSync(wsdlPath, 'utf8');
const summary = (r: ConnectionTestResult) => r.steps.map((s) => `${s.step}:${s.status}`);
const step = (r: ConnectionTestResult, name: string) => r.steps.find((s) => s.step === name);

describe('SOAP adapter against a real SOAP listener serving a WSDL from the corpus', () => {
  let http: Server;
  let soap: SoapServer;
  let config: SoapAdapterConfig;
  const options = () => ({ wsdl: { xml: wsdlXml, uri: wsdlPath } });

  beforeAll(async () => {
    http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    soap = listen(http, {
      path: '/SayHello/',
      xml: wsdlXml,
      services: {
        Hello_Service: {
          Hello_Port: {
            sayHello: (args: { firstName: string }) => ({ greeting: `Hello ${args.firstName}` }),
          },
        },
      },
    });
    soap.log = () => undefined;
    // WS-Security UsernameToken: only integrixs / soap-secret-1 may call.
    soap.authenticate = (security: {
      UsernameToken?: { Username?: string; Password?: { $value?: string } };
    }) =>
      security?.UsernameToken?.Username === 'integrixs' &&
      security.UsernameToken.Password?.$value === 'soap-secret-1';
    const { port } = http.address() as AddressInfo;
    config = {
      wsdlAssetId: '0b5c1b1e-7c0e-4f55-9a59-3c1e6f0a9d21',
      service: 'Hello_Service',
      port: 'Hello_Port',
      operation: 'sayHello',
      endpointOverride: `http://127.0.0.1:${port}/SayHello/`,
      wsSecurity: { username: 'integrixs' },
    };
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

  const secrets = { wsSecurity: { password: 'soap-secret-1' } };

  it('finds the operation and calls it with WS-Security when sample input is given', async () => {
    const result = await testSoapAdapter(config, secrets, {
      ...options(),
      callWith: { firstName: 'Ada' },
    });
    expect(summary(result)).toEqual([
      'wsdl:passed',
      'operation:passed',
      'resolve:passed',
      'connect:passed',
      'request:passed',
    ]);
    const wsdl = await parseWsdl(wsdlXml, wsdlPath);
    expect(await callSoapOperation(wsdl, config, secrets, { firstName: 'Ada' })).toEqual({
      greeting: 'Hello Ada',
    });
  });

  it('does not call the operation without sample input', async () => {
    const result = await testSoapAdapter(config, secrets, options());
    expect(step(result, 'request')).toMatchObject({ status: 'skipped' });
    expect(result.ok).toBe(true);
  });

  it('fails at operation when the WSDL has no such operation, listing what it has', async () => {
    const result = await testSoapAdapter(
      { ...config, operation: 'sayGoodbye' },
      secrets,
      options(),
    );
    expect(step(result, 'operation')).toMatchObject({
      status: 'failed',
      message: 'operation sayGoodbye not found in port Hello_Port (has: sayHello)',
    });
  });

  it('fails at wsdl when the document is not XML', async () => {
    const bad = readFileSync(join(wsdlPath, '../bad.txt'), 'utf8');
    const result = await testSoapAdapter(config, secrets, { wsdl: { xml: bad } });
    expect(step(result, 'wsdl')).toMatchObject({
      status: 'failed',
      message: 'the WSDL could not be parsed: Text data outside of root node.',
    });
  });

  it('refuses a WSDL that imports other documents, and fetches none of them', async () => {
    let fetched = 0;
    const decoy = createServer((_req, res) => {
      fetched += 1;
      res.end('<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>');
    });
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    const { port } = decoy.address() as AddressInfo;
    const importing = wsdlXml.replace(
      /(<definitions[^>]*>)/,
      `$1<import namespace="urn:x" location="http://127.0.0.1:${port}/more.wsdl"/>` +
        `<types><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
        `<xsd:include schemaLocation="/etc/passwd"/></xsd:schema></types>`,
    );
    try {
      const result = await testSoapAdapter(config, secrets, { wsdl: { xml: importing } });
      expect(step(result, 'wsdl')).toMatchObject({
        status: 'failed',
        message: `the WSDL imports http://127.0.0.1:${port}/more.wsdl, /etc/passwd: imports are resolved from the schema library, never fetched by the adapter`,
      });
      expect(fetched).toBe(0);
    } finally {
      await new Promise<void>((resolve) => decoy.close(() => resolve()));
    }
  });

  it('fails at request with a wrong WS-Security password', async () => {
    const result = await testSoapAdapter(
      config,
      { wsSecurity: { password: 'wrong' } },
      {
        ...options(),
        callWith: { firstName: 'Ada' },
      },
    );
    expect(step(result, 'request')).toMatchObject({
      status: 'failed',
      message: 'authentication failed: the endpoint answered HTTP 401',
    });
  });

  it('fails at connect when nothing listens on the endpoint', async () => {
    const port = await refusedPort();
    const result = await testSoapAdapter(
      { ...config, endpointOverride: `http://127.0.0.1:${port}/SayHello/` },
      secrets,
      options(),
    );
    expect(step(result, 'connect')?.message).toBe(`connection refused on 127.0.0.1:${port}`);
  });
});
