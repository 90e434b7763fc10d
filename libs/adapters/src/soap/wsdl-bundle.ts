/**
 * Multi-file WSDLs from the schema library: the stored bundle (the main WSDL plus the WSDLs and
 * XSDs it imports or includes) is handed to the `soap` package from memory. The main document gets
 * a placeholder address under `BUNDLE_BASE`, so soap resolves every relative `location` /
 * `schemaLocation` against it as a URL; `overrideImportLocation` refuses anything outside the
 * bundle (absolute URLs, `file:` and root paths), and the `httpClient` soap would fetch imports
 * with answers from the bundle's files. Nothing is read from disk or the network.
 */
import type { IHttpClient, IOptions } from 'soap';

import { StepFailure } from '../shared/explain-error';

/** One file of a schema bundle: its path inside the bundle and its text. */
export interface BundleFile {
  path: string;
  text: string;
}

/** A placeholder origin (`.invalid` never resolves): only ever a key into the bundle. */
export const BUNDLE_BASE = 'http://schema-bundle.invalid/';

const urlOf = (path: string) => new URL(path.replace(/^\/+/, ''), BUNDLE_BASE).href;
const pathOf = (url: string) =>
  url.startsWith(BUNDLE_BASE) ? decodeURIComponent(url.slice(BUNDLE_BASE.length)) : url;

/** The uri and soap options that parse `main` with its imports served from `files`. */
export function bundleWsdlOptions(
  files: readonly BundleFile[],
  main: string,
): { uri: string; options: IOptions } {
  const byUrl = new Map(files.map((f) => [urlOf(f.path), f.text]));
  const outside = (location: string, parent: string) =>
    new StepFailure(
      `${pathOf(parent)} imports ${location}, which is not a file of the WSDL's bundle in the ` +
        'schema library (imports are never fetched by the adapter)',
    );
  const httpClient = {
    request(
      url: string,
      _data: unknown,
      callback: (error: unknown, res?: unknown, body?: unknown) => void,
    ) {
      const text = byUrl.get(url);
      if (text === undefined) callback(outside(pathOf(url), BUNDLE_BASE));
      else callback(null, { status: 200, data: text }, text);
      return Promise.resolve() as unknown as ReturnType<IHttpClient['request']>;
    },
  } as IHttpClient;
  return {
    uri: urlOf(main),
    options: {
      httpClient,
      wsdl_options: {
        overrideImportLocation: (resolved: string, parent: string, location: string) => {
          if (!byUrl.has(resolved)) throw outside(location, parent);
          return resolved;
        },
      },
    },
  };
}
