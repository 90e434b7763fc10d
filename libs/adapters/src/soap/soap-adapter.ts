/**
 * SOAP (the `soap` package): the connection test checks that the configured service, port and
 * operation exist in the WSDL, reaches the endpoint, and calls the operation only when sample
 * input is given. The WSDL text comes from the schema library (the caller passes it in).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';

import { Client, WSDL, WSSecurity } from 'soap';

import type { SoapAdapterConfig, SoapAdapterSecrets } from '@integrixs/domain';

import { stepBudget, type ConnectionTestOptions } from '../shared/adapter';
import { required, StepFailure } from '../shared/explain-error';
import { resolveAndConnect } from '../shared/network';
import { StepRunner, type ConnectionTestResult } from '../shared/steps';
import { resolveTarget, type TargetPolicy } from '../shared/target-policy';
import { bundleWsdlOptions, type BundleFile } from './wsdl-bundle';

export interface SoapTestOptions extends ConnectionTestOptions {
  /**
   * The WSDL document (from the schema library): `uri` is its path in its bundle and `files` the
   * bundle's files, which its imports and includes are resolved against (from memory).
   */
  wsdl: { xml: string; uri?: string; files?: readonly BundleFile[] };
  /** Sample input: when given, the operation is really called with it. */
  callWith?: Record<string, unknown>;
}

type Description = Record<string, Record<string, Record<string, unknown>>>;

/** `wsdl:import`, `xsd:import`/`include`/`redefine` elements that name a document to load. */
const IMPORT_LOCATION =
  /<(?:[\w.-]+:)?(?:import|include|redefine)\b[^>]*?\b(?:location|schemaLocation)\s*=\s*["']([^"']*)["']/g;

/**
 * Parses the WSDL. Without `files` it must be self-contained: the `soap` package would otherwise
 * load every import location itself — over HTTP past the target policy, or from the server's
 * disk — so a WSDL that names one is refused. With `files` (the schema library's bundle, `uri`
 * the main document's path in it) imports and includes are served from those files only
 * (wsdl-bundle.ts). Parser errors keep their first line.
 */
export function parseWsdl(
  xml: string,
  uri = 'memory.wsdl',
  files?: readonly BundleFile[],
): Promise<WSDL> {
  const imports = files ? [] : [...xml.matchAll(IMPORT_LOCATION)].map((m) => m[1]);
  if (imports.length > 0)
    return Promise.reject(
      new StepFailure(
        `the WSDL imports ${imports.slice(0, 3).join(', ')}${imports.length > 3 ? ', …' : ''}: ` +
          'imports are resolved from the schema library, never fetched by the adapter',
      ),
    );
  const failure = (error: unknown) =>
    new StepFailure(
      `the WSDL could not be parsed: ${String((error as Error)?.message ?? error).split('\n')[0]}`,
    );
  const bundle = files ? bundleWsdlOptions(files, uri) : { uri, options: {} };
  return new Promise((resolve, reject) => {
    let wsdl: WSDL;
    try {
      wsdl = new WSDL(xml, bundle.uri, bundle.options);
    } catch (error) {
      reject(failure(error));
      return;
    }
    wsdl.onReady((err) =>
      err ? reject(err instanceof StepFailure ? err : failure(err)) : resolve(wsdl),
    );
  });
}

/** Checks that service → port → operation exist, naming what is there when one does not. */
export function findOperation(wsdl: WSDL, config: SoapAdapterConfig): string {
  const services = wsdl.describeServices() as Description;
  const service = services[config.service];
  if (!service)
    throw new StepFailure(
      `service ${config.service} not found in the WSDL (has: ${Object.keys(services).join(', ')})`,
    );
  const port = service[config.port];
  if (!port)
    throw new StepFailure(
      `port ${config.port} not found in service ${config.service} (has: ${Object.keys(service).join(', ')})`,
    );
  if (!(config.operation in port))
    throw new StepFailure(
      `operation ${config.operation} not found in port ${config.port} (has: ${Object.keys(port).join(', ')})`,
    );
  const location = (
    wsdl.definitions.services[config.service]?.ports[config.port] as
      { location?: string } | undefined
  )?.location;
  return config.endpointOverride ?? required(location, 'endpoint address in the WSDL');
}

/** A DNS lookup that applies the target policy, for the agents the SOAP client's requests use. */
function policyLookup(policy: TargetPolicy | undefined): LookupFunction {
  return (hostname, options, callback) => {
    resolveTarget(hostname, policy)
      .then((t) => {
        if (options.all) callback(null, [{ address: t.address, family: t.family }]);
        else callback(null, t.address, t.family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, '', 0));
  };
}

function agents(config: SoapAdapterConfig, secrets: SoapAdapterSecrets, policy?: TargetPolicy) {
  const lookup = policyLookup(policy);
  return {
    httpAgent: new HttpAgent({ lookup }),
    httpsAgent: new HttpsAgent({
      lookup,
      ca: config.tls?.caCertificate ? [...rootCertificates, config.tls.caCertificate] : undefined,
      cert: config.tls?.clientCertificate,
      key: secrets.tls?.clientKey,
      passphrase: secrets.tls?.clientKeyPassphrase,
      rejectUnauthorized: config.tls?.rejectUnauthorized ?? true,
    }),
  };
}

/** Calls the configured operation; resolves with the parsed result. */
export async function callSoapOperation(
  wsdl: WSDL,
  config: SoapAdapterConfig,
  secrets: SoapAdapterSecrets,
  args: Record<string, unknown>,
  policy?: TargetPolicy,
): Promise<unknown> {
  const endpoint = findOperation(wsdl, config);
  const client = new Client(wsdl, endpoint, {});
  if (config.wsSecurity)
    client.setSecurity(
      new WSSecurity(config.wsSecurity.username, secrets.wsSecurity?.password ?? '', {
        passwordType: config.wsSecurity.passwordType ?? 'PasswordText',
      }),
    );
  const fn = (client as unknown as Record<string, unknown>)[`${config.operation}Async`];
  if (typeof fn !== 'function') throw new StepFailure(`operation ${config.operation} not callable`);
  const { httpAgent, httpsAgent } = agents(config, secrets, policy);
  try {
    const [result] = (await (fn as (...a: unknown[]) => Promise<unknown[]>).call(client, args, {
      httpAgent,
      httpsAgent,
      timeout: config.requestTimeoutMs ?? 30000,
    })) ?? [undefined];
    return result;
  } catch (error) {
    const e = error as {
      response?: { status?: number };
      root?: { Envelope?: { Body?: { Fault?: { faultstring?: string } } } };
    };
    const fault = e.root?.Envelope?.Body?.Fault?.faultstring;
    if (fault) throw new StepFailure(`SOAP fault: ${fault}`);
    if (e.response?.status === 401 || e.response?.status === 403)
      throw new StepFailure(
        `authentication failed: the endpoint answered HTTP ${e.response.status}`,
      );
    throw error;
  } finally {
    httpAgent.destroy();
    httpsAgent.destroy();
  }
}

/** wsdl → resolve → connect → operation (called only with `callWith`). */
export async function testSoapAdapter(
  config: SoapAdapterConfig,
  secrets: SoapAdapterSecrets,
  options: SoapTestOptions,
): Promise<ConnectionTestResult> {
  const runner = new StepRunner(stepBudget(options, config.requestTimeoutMs), options.onStep);
  const wsdl = await runner.run(
    'wsdl',
    () => parseWsdl(options.wsdl.xml, options.wsdl.uri, options.wsdl.files),
    () => 'WSDL parsed',
  );
  const endpoint = await runner.run(
    'operation',
    () => Promise.resolve(findOperation(required(wsdl, 'wsdl'), config)),
    (url) =>
      `operation ${config.operation} found in ${config.service}/${config.port}, endpoint ${url}`,
  );
  const url = endpoint ? new URL(endpoint) : undefined;
  const port = url ? Number(url.port || (url.protocol === 'https:' ? 443 : 80)) : 0;
  await resolveAndConnect(runner, url?.hostname ?? '', port, options);
  if (!options.callWith) runner.skip('request', 'operation not called (no sample input given)');
  else
    await runner.run(
      'request',
      () =>
        callSoapOperation(
          required(wsdl, 'wsdl'),
          config,
          secrets,
          options.callWith ?? {},
          options.policy,
        ),
      () => `${config.operation} called successfully`,
    );
  return runner.result();
}
