import { type SchemaReference } from '../bundle/schema-references';
import { type SchemaProblem } from '../problems/schema-problems';
import { type CompiledXsd } from '../xsd/xsd-compiler';
import { type QName } from '../xsd/xsd-model';

/** What a WSDL 1.1 document describes, after every reference was checked. */

export const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
export const SOAP11_BINDING_NS = 'http://schemas.xmlsoap.org/wsdl/soap/';
export const SOAP12_BINDING_NS = 'http://schemas.xmlsoap.org/wsdl/soap12/';

export type SoapVersion = '1.1' | '1.2';

export interface WsdlPart {
  name: string;
  /** Document style: the element that is the body content. */
  element?: QName;
  /** RPC style (or non-WS-I documents): the type of the part accessor. */
  type?: QName;
}

export interface WsdlMessage {
  name: QName;
  parts: WsdlPart[];
  documentation?: string;
  file: string;
  line: number;
}

/** An operation's input, output or fault: the message and its parts. */
export interface WsdlOperationMessage {
  /** The `name` attribute of the input/output/fault element, if any. */
  name?: string;
  message: QName;
  parts: WsdlPart[];
}

export interface WsdlEndpoint {
  service: string;
  port: string;
  /** `soap:address` / `soap12:address` location (never contacted). */
  address?: string;
}

/**
 * One operation as bound: a portType operation appears once per binding that implements it
 * (a .NET service with SOAP 1.1 and 1.2 bindings lists each operation twice), or once with no
 * binding when none implements it.
 */
export interface WsdlOperation {
  name: string;
  portType: QName;
  binding?: QName;
  /** SOAP binding facts; absent for non-SOAP (HTTP) bindings. */
  soapVersion?: SoapVersion;
  style?: 'document' | 'rpc';
  soapAction?: string;
  use?: 'literal' | 'encoded';
  /** RPC: namespace of the wrapper element (`soap:body namespace`). */
  namespace?: string;
  input?: WsdlOperationMessage;
  output?: WsdlOperationMessage;
  faults: (WsdlOperationMessage & { name: string })[];
  endpoints: WsdlEndpoint[];
  documentation?: string;
}

export interface WsdlService {
  name: QName;
  ports: { name: string; binding: QName; address?: string }[];
}

export interface CompiledWsdl {
  targetNamespace?: string;
  name?: string;
  operations: WsdlOperation[];
  messages: WsdlMessage[];
  services: WsdlService[];
  /** The compiled types (embedded and imported schemas); absent when there are none. */
  schema?: CompiledXsd;
  references: SchemaReference[];
  warnings: SchemaProblem[];
  estimatedBytes: number;
}
