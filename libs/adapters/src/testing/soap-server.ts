/**
 * A real SOAP server for the tests: the `soap` package's listener on node:http (127.0.0.1, a
 * random port) serving a WSDL from the shared corpus (`../shared/corpus/wsdl`), read from disk
 * together with the files it imports. Optional WS-Security UsernameToken check.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { listen, type IServices } from 'soap';

/** The shared corpus's WSDL folder (the checkout's sibling `shared/corpus/wsdl`). */
export const WSDL_CORPUS = join(__dirname, '../../../../../shared/corpus/wsdl');

export interface TestSoapServer {
  port: number;
  /** The endpoint URL of the listener (`http://127.0.0.1:<port><path>`). */
  url: string;
  close(): Promise<void>;
}

export async function startSoapServer(options: {
  /** Path of the WSDL inside the corpus, e.g. `hello.wsdl` or `wsdlImport/main.wsdl`. */
  wsdl: string;
  path: string;
  services: IServices;
  /** WS-Security UsernameToken every call must carry. */
  usernameToken?: { username: string; password: string };
}): Promise<TestSoapServer> {
  const uri = join(WSDL_CORPUS, options.wsdl);
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  // Requests that arrive before the WSDL (and its imports) are loaded would hang: wait for it.
  let soap: ReturnType<typeof listen> | undefined;
  await new Promise<void>((resolve, reject) => {
    soap = listen(http, {
      path: options.path,
      xml: readFileSync(uri, 'utf8'),
      uri,
      services: options.services,
      callback: (err: Error | null) => (err ? reject(err) : resolve()),
    });
  });
  if (!soap) throw new Error('the SOAP listener did not start');
  soap.log = () => undefined;
  const token = options.usernameToken;
  if (token)
    soap.authenticate = (security: {
      UsernameToken?: { Username?: string; Password?: { $value?: string } };
    }) =>
      security?.UsernameToken?.Username === token.username &&
      security.UsernameToken.Password?.$value === token.password;
  const { port } = http.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}${options.path}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
