import { adapterBody, createPackage } from './support/access-fixtures';
import { corpusText, createSchema, schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Problem {
  errors: { path: string; message: string; code: string }[];
  dependents?: { id: string; name: string }[];
}

/**
 * An adapter's schema bindings: request/response/message schemas and a SOAP adapter's WSDL
 * operation. Each is a dependency edge, so the schema lists the adapter among its dependents.
 */
describe('adapter schema bindings', () => {
  let t: TestApp;
  let pkg: string;
  let developer: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Bound adapters');
    developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>) =>
    t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/adapters`,
      payload: body,
      as: developer,
    });
  const fileAdapter = (name: string) => adapterBody(name, '/data/in');
  const soapAdapter = (name: string, configuration: Record<string, unknown>) => ({
    name,
    adapterType: 'SOAP',
    direction: 'TARGET',
    configuration,
  });

  it('a schema it names lists the adapter as a dependent; an unreadable id is a 422', async () => {
    const schema = await createSchema(t, pkg, schemaDocument('Orders XSD'), developer);
    const adapter = json<{ id: string }>(
      await create({ ...fileAdapter('Bound FILE'), schemas: { message: schema.id } }),
    );
    expect(adapter.id).toBeDefined();
    const refused = await t.request({
      method: 'DELETE',
      url: `/api/packages/${pkg}/schemas/${schema.id}`,
    });
    expect(refused.statusCode).toBe(409);
    expect(json<Problem>(refused).dependents?.map((d) => d.name)).toEqual(['Bound FILE']);

    const other = await createPackage(t, 'Hidden schemas');
    const hidden = await createSchema(t, other, schemaDocument('Hidden XSD'));
    const unreadable = await create({
      ...fileAdapter('Hidden binding'),
      schemas: { request: hidden.id },
    });
    expect(unreadable.statusCode).toBe(422);
    expect(json<Problem>(unreadable).errors.map((e) => e.path)).toEqual(['/schemas/request']);
  });

  it('a SOAP adapter must name an operation its WSDL has', async () => {
    const wsdl = await createSchema(
      t,
      pkg,
      schemaDocument('Hello WSDL', corpusText('wsdl/hello.wsdl'), 'WSDL'),
    );
    const soap = (operation: string) =>
      soapAdapter(`SOAP ${operation}`, {
        wsdlAssetId: wsdl.id,
        service: 'Hello_Service',
        port: 'Hello_Port',
        operation,
      });
    expect((await create(soap('sayHello'))).statusCode).toBe(201);
    const missing = await create(soap('sayGoodbye'));
    expect(missing.statusCode).toBe(422);
    expect(json<Problem>(missing).errors).toEqual([
      expect.objectContaining({ path: '/configuration/operation', code: 'not_found' }),
    ]);
    const wrongPort = await create({
      ...soap('sayHello'),
      name: 'Wrong port',
      configuration: { ...soap('sayHello').configuration, port: 'Nope_Port' },
    });
    expect(json<Problem>(wrongPort).errors.map((e) => e.path)).toEqual(['/configuration/port']);

    const xsd = await createSchema(t, pkg, schemaDocument('Not a WSDL'));
    const notWsdl = await create({
      ...soap('sayHello'),
      name: 'Not WSDL',
      configuration: { ...soap('sayHello').configuration, wsdlAssetId: xsd.id },
    });
    expect(json<Problem>(notWsdl).errors).toEqual([
      expect.objectContaining({ path: '/configuration/wsdlAssetId', code: 'type' }),
    ]);
    // The WSDL is a dependency of the SOAP adapter: it cannot be deleted under it.
    const refused = await t.request({
      method: 'DELETE',
      url: `/api/packages/${pkg}/schemas/${wsdl.id}`,
    });
    expect(json<Problem>(refused).dependents?.map((d) => d.name)).toEqual(['SOAP sayHello']);
  });

  it('drops the edge when the adapter stops naming the schema', async () => {
    const schema = await createSchema(t, pkg, schemaDocument('Released XSD'), developer);
    const adapter = json<{ id: string; version: number }>(
      await create({ ...fileAdapter('Releasing FILE'), schemas: { request: schema.id } }),
    );
    const updated = await t.request({
      method: 'PUT',
      url: `/api/packages/${pkg}/adapters/${adapter.id}`,
      payload: { version: adapter.version, schemas: {} },
      as: developer,
    });
    expect(updated.statusCode).toBe(200);
    const deleted = await t.request({
      method: 'DELETE',
      url: `/api/packages/${pkg}/schemas/${schema.id}`,
    });
    expect(deleted.statusCode).toBe(204);
  });
});
