import { XmlParser, Xslt } from 'xslt-processor';

import { MappingRuntimeError } from '../jsonata/mapping-model';

/**
 * Runs a stylesheet CompiledStylesheet has checked, on an input the caller has checked to be
 * safe, well-formed XML (xslt-processor's own parser is lenient, so it must never see anything
 * else). Free of native modules: it runs in the mapping workers. Includes and imports are
 * served from the mapping's own files; never the network or the disk.
 */
export async function runStylesheet(
  stylesheet: string,
  files: Record<string, string>,
  input: string,
): Promise<string> {
  const xslt = new Xslt({
    fetchFunction: (uri: string) =>
      files[uri] !== undefined
        ? Promise.resolve(files[uri])
        : Promise.reject(new Error(`the mapping has no file ${uri}`)),
  });
  const parser = new XmlParser();
  try {
    return await xslt.xsltProcess(parser.xmlParse(input), parser.xmlParse(stylesheet));
  } catch (error) {
    throw new MappingRuntimeError(
      `the stylesheet failed: ${(error as Error).message}`,
      'stylesheet',
    );
  }
}
