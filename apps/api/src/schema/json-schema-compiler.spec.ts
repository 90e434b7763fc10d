import { JsonSchemaCompiler } from './json-schema-compiler';
import { corpusBundle, corpusFiles } from './testing/corpus';

describe('JsonSchemaCompiler', () => {
  const compiler = new JsonSchemaCompiler();

  it.each(['github-workflow', 'package'])('%s', async (name) => {
    const bundle = corpusBundle(
      'JSON_SCHEMA',
      `jsonschema/${name}`,
      'schema.json',
      (p) => p === 'schema.json' || p.startsWith('refs/'),
    );
    const t = performance.now();
    const compiled = await compiler.compile(bundle);
    console.log(
      name,
      performance.now() - t,
      compiled.references.map((r) => `${r.pointer} ${r.location} ${JSON.stringify(r.target)}`),
    );
    for (const f of corpusFiles(`jsonschema/${name}/valid`))
      expect([f.path, compiled.validate(JSON.parse(f.text))]).toEqual([f.path, true]);
    for (const f of corpusFiles(`jsonschema/${name}/invalid`))
      expect([f.path, compiled.validate(JSON.parse(f.text))]).toEqual([f.path, false]);
  });
});
