import { SchemaInvalidError } from './schema-problems';
import { corpusBundle } from './testing/corpus';
import { WsdlParser } from './wsdl-parser';
import { XsdCompiler } from './xsd-compiler';
import { XsdValidatorPool } from './xsd-validator-pool';

describe('WsdlParser', () => {
  const pool = new XsdValidatorPool({ workers: 1 });
  const parser = new WsdlParser(new XsdCompiler(pool));
  afterAll(() => pool.close());

  it.each([
    ['', 'hello.wsdl'],
    ['', 'Dummy.wsdl'],
    ['', 'rpcexample.wsdl'],
    ['', 'default_namespace_soap12.wsdl'],
    ['elementref', 'foo.wsdl'],
    ['complex', 'registration.wsdl'],
    ['wsdlImport', 'main.wsdl'],
    ['xsdinclude', 'xsd_include.wsdl'],
    ['strict', 'ImportSample.wsdl'],
    ['strict', 'stockquote.wsdl'],
    ['', 'missing_message_definition.wsdl'],
    ['', 'bad.txt'],
    ['', 'bad2.txt'],
  ])('%s/%s', async (folder, main) => {
    const bundle = corpusBundle('WSDL', `wsdl/${folder}`, main, (p) => folder !== '' || p === main);
    try {
      const r = await parser.parse(bundle, { keep: false });
      console.log(
        main,
        r.operations.map((o) => [
          o.name,
          o.soapVersion,
          o.style,
          o.soapAction,
          o.input?.message.name,
          o.output?.message.name,
        ]),
        r.warnings.map((w) => `${w.file}:${w.line} ${w.message}`),
      );
    } catch (e) {
      if (e instanceof SchemaInvalidError)
        console.log(
          main,
          'REJECTED',
          e.problems.map((p) => `${p.file}:${p.line} ${p.message}`),
        );
      else throw e;
    }
  });
});
