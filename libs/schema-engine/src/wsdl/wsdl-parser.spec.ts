import { type SchemaBundle } from '../bundle/schema-bundle';
import { libraryDependencies } from '../bundle/schema-references';
import { SchemaInvalidError, type SchemaProblem } from '../problems/schema-problems';
import { corpusBundle } from '../testing/corpus';
import { XsdCompiler } from '../xsd/xsd-compiler';
import { XsdValidatorPool } from '../xsd/xsd-validator-pool';
import { type CompiledWsdl } from './wsdl-model';
import { WsdlParser } from './wsdl-parser';

/** Asymmetric matchers typed as what they match (Jest types them `any`). */
const containing = (text: string): string => expect.stringContaining(text) as string;

/** A corpus WSDL with the other files of its folder (top-level ones alone). */
const wsdl = (path: string): SchemaBundle => {
  const slash = path.lastIndexOf('/');
  const folder = slash < 0 ? '' : path.slice(0, slash);
  const main = path.slice(slash + 1);
  return corpusBundle('WSDL', `wsdl/${folder}`, main, (p) => folder !== '' || p === main);
};

const summary = (parsed: CompiledWsdl) =>
  parsed.operations.map((o) => [o.name, o.soapVersion, o.style, o.soapAction]);

describe('WsdlParser', () => {
  const pool = new XsdValidatorPool({ workers: 1 });
  const compiler = new XsdCompiler(pool);
  const parser = new WsdlParser(compiler);
  afterAll(() => pool.close());

  async function problemsOf(work: Promise<unknown>): Promise<SchemaProblem[]> {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SchemaInvalidError);
    return (error as SchemaInvalidError).problems;
  }

  describe('parses every WSDL the corpus lists as parseable, with its operations', () => {
    it.each([
      ['hello.wsdl', [['sayHello', '1.1', 'rpc', 'sayHello']]],
      ['Dummy.wsdl', [['Dummy', '1.1', 'document', 'http://www.Dummy.com#Dummy']]],
      ['default_namespace_soap12.wsdl', [['MyOperation', '1.2', 'document', 'MyOperation']]],
      ['elementref/foo.wsdl', [['fooOp', '1.1', 'document', 'fooPayment']]],
      [
        'complex/registration.wsdl',
        [['registerUser', '1.1', 'document', 'http://test-soap.com/api/registration/registerUser']],
      ],
      ['wsdlImport/main.wsdl', [['getLatestVersion', '1.1', 'document', '']]],
      ['xsdinclude/xsd_include.wsdl', [['Dummy', '1.1', 'document', 'tns#Dummy']]],
      ['strict/ImportSample.wsdl', [['beerpByLocation', '1.1', 'document', 'beerpByLocation']]],
      [
        'strict/stockquote.wsdl',
        [
          ['GetLastTradePrice', '1.1', 'document', 'http://example.com/GetLastTradePrice'],
          ['SetTradePrice', '1.1', 'document', 'http://example.com/SetTradePrice'],
          ['IsValidPrice', '1.1', 'document', 'http://example.com/IsValidPrice'],
        ],
      ],
    ])('%s', async (path, operations) => {
      const parsed = await parser.parse(wsdl(path), { keep: false });
      expect(summary(parsed)).toEqual(operations);
    });

    it('rpcexample.wsdl (RPC, SOAP 1.2, SOAP-ENC arrays)', async () => {
      const parsed = await parser.parse(wsdl('rpcexample.wsdl'), { keep: false });
      expect(parsed.operations).toHaveLength(13);
      expect(
        parsed.operations.every(
          (o) => o.soapVersion === '1.2' && o.style === 'rpc' && o.use === 'encoded',
        ),
      ).toBe(true);
      expect(parsed.operations[0]).toMatchObject({
        name: 'pullFile',
        namespace: 'urn:RpcExample',
        input: {
          message: { namespace: 'urn:RpcExample', name: 'pullFileRequest' },
          parts: [
            { name: 'params', type: { namespace: 'urn:RpcExample', name: 'pullFileParams' } },
          ],
        },
        output: { message: { name: 'pullFileResponse' } },
        endpoints: [{ service: 'RpcExample', port: 'RpcExample', address: 'http://127.0.0.1/' }],
      });
      expect(parsed.schema?.references).toContainEqual(
        expect.objectContaining({
          namespace: 'http://www.w3.org/2003/05/soap-encoding',
          target: { scope: 'builtin', name: 'soap12-encoding.xsd' },
        }),
      );
      expect(parsed.warnings).toEqual([]);
    });
  });

  it('lists the messages, faults and bindings of a multi-file WSDL', async () => {
    const parsed = await parser.parse(wsdl('complex/registration.wsdl'), { keep: false });
    expect(parsed.operations[0]).toMatchObject({
      portType: {
        namespace: 'http://test-soap.com/api/registration',
        name: 'registrationCommonPortType',
      },
      binding: { name: 'registrationCommonHttpSoapBinding' },
      input: {
        name: 'registerUserRequestMessage',
        parts: [
          {
            name: 'registerUserRequest',
            element: {
              namespace: 'http://test-soap.com/api/registration/messages',
              name: 'registerUserRequest',
            },
          },
        ],
      },
      faults: [],
    });
    expect(parsed.references.filter((r) => r.kind === 'wsdl:import')).toEqual([
      expect.objectContaining({
        file: 'registration.wsdl',
        line: 12,
        target: { scope: 'bundle', path: 'registration-common.wsdl' },
      }),
    ]);
    expect(parsed.references).toContainEqual(
      expect.objectContaining({
        kind: 'xsd:include',
        file: 'registration-messages.xsd',
        target: { scope: 'bundle', path: 'registration-messages-common.xsd' },
      }),
    );
    // The fault's message is missing: accepted, said plainly.
    expect(parsed.warnings).toContainEqual(
      expect.objectContaining({
        file: 'registration-common.wsdl',
        line: 34,
        message:
          "operation registerUser fault errorDetail refers to message tns:errorDetailMessage, which is not defined; the fault's detail is not described",
      }),
    );
    expect(libraryDependencies(parsed.references)).toEqual([]);
  });

  describe('rejects what the corpus lists as bad, with the stated errors', () => {
    it('missing_message_definition.wsdl names the undefined message', async () => {
      const problems = await problemsOf(parser.parse(wsdl('missing_message_definition.wsdl')));
      expect(problems).toEqual([
        {
          file: 'missing_message_definition.wsdl',
          line: 35,
          message:
            'operation GetWeather output refers to message tns:GetWeatherResponse, which is not defined',
          code: 'definition_missing',
        },
      ]);
    });

    it('bad.txt is not XML', async () => {
      const problems = await problemsOf(parser.parse(wsdl('bad.txt')));
      expect(problems).toEqual([
        {
          file: 'bad.txt',
          line: 1,
          column: 1,
          message: "not well-formed XML: Start tag expected, '<' not found",
          code: 'syntax_error',
        },
      ]);
    });

    it('bad2.txt (truncated) has every reference dangling', async () => {
      const problems = await problemsOf(parser.parse(wsdl('bad2.txt')));
      expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
        '4: port AccountAddressPort of service AccountAddress refers to binding tns:AccountAddress, which is not defined',
        '10: operation getBasic input refers to message tns:AccountAddress_getBasicInputMessage, which is not defined',
        '11: operation getBasic output refers to message tns:AccountAddress_getBasicOutputMessage, which is not defined',
        '15: binding AccountAddress refers to portType tns:AccountAddressPortType, which is not defined',
        '30: message AccountAddress_getBasicInputMessage part parameters refers to element tns:ACCOUNT.ADDRESS_BASIC_GET_INPUT, which is not defined',
        '33: message AccountAddress_getBasicOutputMessage part parameters refers to element tns:ACCOUNT.ADDRESS_BASIC_GET_OUTPUT, which is not defined',
      ]);
    });
  });

  it('accepts real-world slips with warnings, and refuses them when strict', async () => {
    const lenient = await parser.parse(wsdl('Dummy.wsdl'), { keep: false });
    expect(lenient.schema).toBeUndefined();
    expect(lenient.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'xsd:import "./Common.xsd" (Common.xsd) is not a file of the bundle',
        ),
        'binding DummyBinding operation DummySave is not an operation of portType DummyPortType; it is ignored',
        'the types have problems, so payloads cannot be validated against this WSDL',
      ]),
    );
    const problems = await problemsOf(parser.parse(wsdl('Dummy.wsdl'), { strict: true }));
    expect(problems.map((p) => p.code)).toEqual(
      expect.arrayContaining(['reference_unresolved', 'definition_missing']),
    );
  });

  it('compiles the types so message payloads can be validated', async () => {
    const parsed = await parser.parse(wsdl('elementref/foo.wsdl'));
    const key = parsed.schema?.engineKey as string;
    const ok =
      '<b:fooRq xmlns:b="http://example.com/bar/xsd" xmlns:b1="http://example.com/bar1/xsd"><b1:paymentRq><b1:bankSvcRq><b1:requestUID>1</b1:requestUID></b1:bankSvcRq></b1:paymentRq></b:fooRq>';
    expect(await pool.validate(key, ok)).toEqual({ valid: true, errors: [] });
    expect((await pool.validate(key, ok.replace(/requestUID/g, 'uid'))).valid).toBe(false);
    compiler.release(key);
  });

  it('keeps the WSDL line numbers for problems in embedded schemas', async () => {
    const text = `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t">
  <types>
    <xs:schema targetNamespace="urn:t">
      <xs:element name="a" type="tns:Missing"/>
    </xs:schema>
  </types>
  <message name="m"><part name="p" element="tns:a"/></message>
</definitions>`;
    const problems = await problemsOf(
      parser.parse(
        { type: 'WSDL', main: 's.wsdl', files: [{ path: 's.wsdl', text }] },
        { strict: true },
      ),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        file: 's.wsdl',
        line: 4,
        code: 'schema_invalid',
        message: containing("'{urn:t}Missing' does not resolve"),
      }),
    ]);
  });

  it('resolves a wsdl:import through the library by namespace', async () => {
    const shared = `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:shared">
  <message name="Ping"><part name="p" type="xs:string"/></message>
</definitions>`;
    const main = `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:s="urn:shared" targetNamespace="urn:main">
  <import namespace="urn:shared"/>
  <portType name="P"><operation name="ping"><input message="s:Ping"/></operation></portType>
</definitions>`;
    const parsed = await parser.parse(
      { type: 'WSDL', main: 'main.wsdl', files: [{ path: 'main.wsdl', text: main }] },
      {
        resolver: {
          resolveNamespace: (ns) =>
            Promise.resolve(
              ns === 'urn:shared'
                ? {
                    ref: 'asset-shared@1',
                    bundle: {
                      type: 'WSDL',
                      main: 's.wsdl',
                      files: [{ path: 's.wsdl', text: shared }],
                    },
                  }
                : undefined,
            ),
        },
      },
    );
    expect(parsed.operations).toMatchObject([
      {
        name: 'ping',
        input: { message: { namespace: 'urn:shared', name: 'Ping' } },
      },
    ]);
    expect(parsed.operations[0].binding).toBeUndefined();
    expect(libraryDependencies(parsed.references)).toEqual(['asset-shared@1']);
  });
});
