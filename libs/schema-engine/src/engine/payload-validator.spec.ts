import { JsonSchemaCompiler } from '../json-schema/json-schema-compiler';
import { JsonValidatorPool } from '../json-schema/json-validator-pool';
import { corpusText, ublBundle } from '../testing/corpus';
import { type CompiledWsdl } from '../wsdl/wsdl-model';
import { WsdlParser } from '../wsdl/wsdl-parser';
import { XsdCompiler, type CompiledXsd } from '../xsd/xsd-compiler';
import { XsdValidatorPool } from '../xsd/xsd-validator-pool';
import { PayloadValidator } from './payload-validator';

/** Asymmetric matchers typed as what they match (Jest types them `any`). */
const anyNumber = (): number => expect.any(Number) as number;
const containing = (text: string): string => expect.stringContaining(text) as string;

const INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const example = (name: string) => corpusText(`xsd/ubl-2.1/examples/${name}`);

const WEATHER = `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:tns="http://example.com/weather" xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="http://example.com/weather">
  <types>
    <xsd:schema targetNamespace="http://example.com/weather" elementFormDefault="qualified">
      <xsd:element name="GetWeatherRequest"><xsd:complexType><xsd:sequence><xsd:element name="City" type="xsd:string"/></xsd:sequence></xsd:complexType></xsd:element>
      <xsd:element name="GetWeatherResponse"><xsd:complexType><xsd:sequence><xsd:element name="Temperature" type="xsd:float"/></xsd:sequence></xsd:complexType></xsd:element>
    </xsd:schema>
  </types>
  <message name="GetWeatherRequest"><part name="parameters" element="tns:GetWeatherRequest"/></message>
  <message name="GetWeatherResponse"><part name="parameters" element="tns:GetWeatherResponse"/></message>
  <portType name="WeatherPortType">
    <operation name="GetWeather"><input message="tns:GetWeatherRequest"/><output message="tns:GetWeatherResponse"/></operation>
  </portType>
</definitions>`;

describe('PayloadValidator', () => {
  const pool = new XsdValidatorPool({ workers: 2 });
  const compiler = new XsdCompiler(pool);
  const jsonPool = new JsonValidatorPool({ workers: 1 });
  const validator = new PayloadValidator(pool, jsonPool);
  let invoice: CompiledXsd;
  let order: CompiledXsd;
  let weather: CompiledWsdl;

  beforeAll(async () => {
    [invoice, order, weather] = await Promise.all([
      compiler.compile(ublBundle('Invoice')),
      compiler.compile(ublBundle('Order')),
      new WsdlParser(compiler).parse({
        type: 'WSDL',
        main: 'w.wsdl',
        files: [{ path: 'w.wsdl', text: WEATHER }],
      }),
    ]);
  }, 60_000);
  afterAll(() => Promise.all([pool.close(), jsonPool.close()]));

  describe('UBL 2.1 examples, as the corpus README says', () => {
    it.each(['UBL-Invoice-2.1-Example.xml', 'UBL-Invoice-2.1-Example-Trivial.xml'])(
      '%s is valid against Invoice',
      async (name) => {
        expect(await validator.validateXml(invoice, example(name))).toEqual({
          valid: true,
          errors: [],
        });
      },
    );

    it('the Order example is valid against Order', async () => {
      expect(await validator.validateXml(order, example('UBL-Order-2.1-Example.xml'))).toEqual({
        valid: true,
        errors: [],
      });
    });

    it('the Order example is invalid against Invoice, with the line', async () => {
      const result = await validator.validateXml(invoice, example('UBL-Order-2.1-Example.xml'));
      expect(result.valid).toBe(false);
      expect(result.errors).toEqual([
        expect.objectContaining({
          line: 4,
          message:
            "Element '{urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order': No matching global declaration available for the validation root.",
        }),
      ]);
    });
  });

  it('locates content errors', async () => {
    const broken = example('UBL-Invoice-2.1-Example-Trivial.xml').replace(
      '<cbc:IssueDate>',
      '<cbc:IssueDate>not-a-date',
    );
    const result = await validator.validateXml(invoice, broken);
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatchObject({
      line: anyNumber(),
      message: containing('IssueDate'),
    });
  });

  it('checks the chosen root element', async () => {
    const trivial = example('UBL-Invoice-2.1-Example-Trivial.xml');
    expect((await validator.validateXml(invoice, trivial, { root: 'Invoice' })).valid).toBe(true);
    expect(
      (await validator.validateXml(invoice, trivial, { root: `{${INVOICE_NS}}Invoice` })).valid,
    ).toBe(true);
    expect(await validator.validateXml(invoice, trivial, { root: 'Order' })).toEqual({
      valid: false,
      errors: [
        {
          message: `root Order is not a global element of this schema (global elements: {${INVOICE_NS}}Invoice)`,
        },
      ],
    });
  });

  it('reports a payload that is not well-formed', async () => {
    const result = await validator.validateXml(invoice, '<Invoice>\n<unclosed>\n</Invoice>');
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatchObject({
      line: 3,
      message: containing('mismatch'),
    });
  });

  it('validates a WSDL message, bare or inside a SOAP envelope', async () => {
    const body =
      '<w:GetWeatherRequest xmlns:w="http://example.com/weather"><w:City>Bern</w:City></w:GetWeatherRequest>';
    const envelope = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`;
    expect(await validator.validateWsdlMessage(weather, body, 'GetWeatherRequest')).toEqual({
      valid: true,
      errors: [],
    });
    expect(await validator.validateWsdlMessage(weather, envelope, 'GetWeather/input')).toEqual({
      valid: true,
      errors: [],
    });
    const wrong = await validator.validateWsdlMessage(weather, body, 'GetWeather/output');
    expect(wrong.errors[0].message).toBe(
      'the document element is {http://example.com/weather}GetWeatherRequest, expected {http://example.com/weather}GetWeatherResponse',
    );
    expect(
      (
        await validator.validateWsdlMessage(
          weather,
          body.replace('City', 'Town').replace('City', 'Town'),
          'GetWeatherRequest',
        )
      ).valid,
    ).toBe(false);
    expect((await validator.validateWsdlMessage(weather, body, 'Nope')).errors[0].message).toMatch(
      /message Nope is not defined/,
    );
  });

  it('validates JSON with the JSON pointer of each problem', async () => {
    const schema = await new JsonSchemaCompiler().compile({
      type: 'JSON_SCHEMA',
      main: 's.json',
      files: [
        {
          path: 's.json',
          text: JSON.stringify({
            type: 'object',
            required: ['id'],
            properties: {
              id: { type: 'integer' },
              tags: { type: 'array', items: { enum: ['a', 'b'] } },
            },
            additionalProperties: false,
          }),
        },
      ],
    });
    expect(await validator.validateJson(schema, '{"id": 1, "tags": ["a"]}')).toEqual({
      valid: true,
      errors: [],
    });
    expect(await validator.validateJson(schema, '{"tags": ["c"], "x": 1}')).toEqual({
      valid: false,
      errors: [
        { path: '/', message: 'must have the property "id"' },
        { path: '/', message: 'must not have the property "x"' },
        { path: '/tags/0', message: 'must be one of "a", "b"' },
      ],
    });
    expect(await validator.validateJson(schema, '{"id": }')).toEqual({
      valid: false,
      errors: [{ path: '', line: 1, column: 8, message: 'not valid JSON: unexpected "}"' }],
    });
  });

  it('validates many payloads concurrently', async () => {
    const docs = [
      'UBL-Invoice-2.1-Example.xml',
      'UBL-Invoice-2.1-Example-Trivial.xml',
      'UBL-Order-2.1-Example.xml',
    ].map(example);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => validator.validateXml(invoice, docs[i % 3])),
    );
    expect(results.map((r) => r.valid)).toEqual(Array.from({ length: 60 }, (_, i) => i % 3 !== 2));
  });
});
