/**
 * XSD compile-once / validate-many worker for XsdValidatorPool (xsd-validator-pool.ts).
 *
 * Plain ES module on purpose: libxml2-wasm is ESM-only with top-level await, which neither
 * `require` nor Jest's CommonJS runtime can load, but a worker thread is a fresh Node context
 * that imports it natively (in Jest and in production alike). tsc does not emit it, so every
 * build that compiles the engine copies this file next to the compiled pool (the API's build
 * target does: apps/api/project.json).
 *
 * libxml2 here runs inside WebAssembly: it has no sockets and no file system. The only bytes it
 * can ever read are the in-memory files of the compile in progress, served by the input
 * provider below; anything else fails to load.
 */
import { parentPort, workerData } from 'node:worker_threads';

const lib = await import(workerData?.module ?? 'libxml2-wasm');
const { ParseOption, XmlDocument, XmlElement, XsdValidator, xmlRegisterInputProvider } = lib;

/** No network, no external entities (libxml2 ≥ 2.14), real line numbers; never NOENT or HUGE. */
const PARSE_OPTIONS =
  ParseOption.XML_PARSE_NONET |
  (ParseOption.XML_PARSE_NO_XXE ?? 0) |
  ParseOption.XML_PARSE_BIG_LINES;
/** Payload documents are read-only once parsed: compact text nodes save a few percent. */
const PAYLOAD_OPTIONS = PARSE_OPTIONS | ParseOption.XML_PARSE_COMPACT;

const SOAP_ENVELOPES = new Set([
  'http://schemas.xmlsoap.org/soap/envelope/',
  'http://www.w3.org/2003/05/soap-envelope',
]);

const encoder = new TextEncoder();
/** Files of the compile in progress: normalised URL → bytes. Empty at all other times. */
let files = new Map();
const openFiles = new Map();
let nextFd = 1;

function normalizeUrl(url) {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

xmlRegisterInputProvider({
  match: () => true,
  open: (name) => {
    const bytes = files.get(normalizeUrl(name));
    if (!bytes) return undefined;
    const fd = nextFd++;
    openFiles.set(fd, { bytes, position: 0 });
    return fd;
  },
  read: (fd, buffer) => {
    const file = openFiles.get(fd);
    if (!file) return -1;
    const count = Math.min(buffer.byteLength, file.bytes.length - file.position);
    buffer.set(file.bytes.subarray(file.position, file.position + count));
    file.position += count;
    return count;
  },
  close: (fd) => openFiles.delete(fd),
});

/** key → { validator, doc } */
const schemas = new Map();

function details(error) {
  if (Array.isArray(error?.details) && error.details.length > 0) {
    return error.details.map((d) => ({
      message: String(d.message).trimEnd(),
      level: d.level,
      line: d.line || undefined,
      column: d.col || undefined,
      url: d.file,
      path: d.xpath,
    }));
  }
  return [{ message: String(error?.message ?? error), level: 2 }];
}

function compile({ key, mainUrl, files: list, keep }) {
  files = new Map(list.map((f) => [normalizeUrl(f.url), encoder.encode(f.text)]));
  let doc;
  let validator;
  const diagnostics = [];
  try {
    const main = files.get(normalizeUrl(mainUrl));
    if (!main) throw new Error(`${mainUrl} is not among the files`);
    doc = XmlDocument.fromBuffer(main, { url: mainUrl, option: PARSE_OPTIONS });
    validator = XsdValidator.fromDoc(doc);
  } catch (error) {
    diagnostics.push(...details(error));
  } finally {
    files = new Map();
    openFiles.clear();
  }
  if (validator && keep) {
    release(key);
    schemas.set(key, { validator, doc });
  } else {
    validator?.dispose();
    doc?.dispose();
  }
  return { ok: validator !== undefined, diagnostics };
}

function release(key) {
  const schema = schemas.get(key);
  if (!schema) return;
  schemas.delete(key);
  schema.validator.dispose();
  schema.doc.dispose();
}

function firstElementChild(element) {
  for (let node = element.firstChild; node; node = node.next) {
    if (node instanceof XmlElement) return node;
  }
  return undefined;
}

/** The element to validate: the root, or the first child of a SOAP Body when unwrapping. */
function target(doc, soapEnvelope) {
  const root = doc.root;
  if (!soapEnvelope || root.name !== 'Envelope' || !SOAP_ENVELOPES.has(root.namespaceUri)) {
    return { element: root, isRoot: true };
  }
  for (let node = root.firstChild; node; node = node.next) {
    if (node instanceof XmlElement && node.name === 'Body') {
      const content = firstElementChild(node);
      return content ? { element: content, isRoot: false } : { error: 'the SOAP Body is empty' };
    }
  }
  return { error: 'the SOAP Envelope has no Body' };
}

function clark(namespace, name) {
  return namespace ? `{${namespace}}${name}` : name;
}

function validate({ key, xml, root, soapEnvelope }) {
  const schema = schemas.get(key);
  if (!schema) return { missing: true };
  let doc;
  try {
    // fromBuffer with TextEncoder is faster than fromString's own UTF-8 conversion.
    doc = XmlDocument.fromBuffer(encoder.encode(xml), {
      encoding: 'utf-8',
      option: PAYLOAD_OPTIONS,
    });
  } catch (error) {
    return { valid: false, errors: details(error) };
  }
  try {
    const chosen = target(doc, soapEnvelope);
    if (chosen.error) return { valid: false, errors: [{ message: chosen.error, line: 1 }] };
    const element = chosen.element;
    if (
      root &&
      (element.name !== root.name || (element.namespaceUri || '') !== (root.namespace || ''))
    ) {
      return {
        valid: false,
        errors: [
          {
            message: `the document element is ${clark(element.namespaceUri, element.name)}, expected ${clark(root.namespace, root.name)}`,
            line: element.line,
          },
        ],
      };
    }
    try {
      schema.validator.validate(chosen.isRoot ? doc : element);
      return { valid: true, errors: [] };
    } catch (error) {
      return { valid: false, errors: details(error) };
    }
  } finally {
    doc.dispose();
  }
}

parentPort.on('message', (message) => {
  let reply;
  try {
    if (message.op === 'compile') reply = compile(message);
    else if (message.op === 'validate') reply = validate(message);
    else if (message.op === 'release') reply = (release(message.key), {});
    else reply = { error: `unknown operation ${message.op}` };
  } catch (error) {
    reply = { error: String(error?.stack ?? error) };
  }
  parentPort.postMessage({ id: message.id, ...reply });
});
parentPort.postMessage({ ready: true });
