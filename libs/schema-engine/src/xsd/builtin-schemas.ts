import { XSD_BUILTIN_TYPES } from './xsd-model';

/**
 * Schemas for namespaces that WSDLs and XSDs commonly import **without a location** and that no
 * upload carries: SOAP 1.1 and 1.2 encoding (`SOAP-ENC:Array`, `arrayType` in RPC/encoded
 * WSDLs) and the `xml:` namespace (`xml:lang`). Used only when neither the bundle nor the
 * library has the namespace. Minimal and permissive on purpose: they let such schemas compile;
 * encoded payloads are not schema-validated anyway.
 */

const XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"';

const SOAP_11_ENCODING = 'http://schemas.xmlsoap.org/soap/encoding/';
const SOAP_12_ENCODING = 'http://www.w3.org/2003/05/soap-encoding';
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/**
 * Simple types SOAP encoding re-declares as elements/types with the common attributes: every XSD
 * built-in but the two ur-types and NOTATION.
 */
const ENCODED_SIMPLE_TYPES = [...XSD_BUILTIN_TYPES].filter(
  (name) => !['anyType', 'anySimpleType', 'NOTATION'].includes(name),
);

function encodingSchema(namespace: string): string {
  const simple = ENCODED_SIMPLE_TYPES.map(
    (t) =>
      `<xs:complexType name="${t}"><xs:simpleContent><xs:extension base="xs:${t}"><xs:attributeGroup ref="enc:commonAttributes"/></xs:extension></xs:simpleContent></xs:complexType>` +
      `<xs:element name="${t}" type="enc:${t}"/>`,
  ).join('\n  ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema ${XS} xmlns:enc="${namespace}" targetNamespace="${namespace}">
  <xs:attributeGroup name="commonAttributes">
    <xs:attribute name="id" type="xs:ID"/>
    <xs:attribute name="href" type="xs:anyURI"/>
    <xs:attribute name="ref" type="xs:IDREF"/>
    <xs:anyAttribute namespace="##other" processContents="lax"/>
  </xs:attributeGroup>
  <xs:attribute name="root" type="xs:boolean"/>
  <xs:attribute name="arrayType" type="xs:string"/>
  <xs:attribute name="offset" type="xs:string"/>
  <xs:attribute name="position" type="xs:string"/>
  <xs:attribute name="itemType" type="xs:QName"/>
  <xs:attribute name="arraySize" type="xs:string"/>
  <xs:attribute name="nodeType" type="xs:string"/>
  <xs:group name="Array">
    <xs:sequence>
      <xs:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/>
    </xs:sequence>
  </xs:group>
  <xs:complexType name="Array">
    <xs:group ref="enc:Array" minOccurs="0"/>
    <xs:attributeGroup ref="enc:commonAttributes"/>
    <xs:attribute ref="enc:arrayType"/>
    <xs:attribute ref="enc:offset"/>
  </xs:complexType>
  <xs:element name="Array" type="enc:Array"/>
  <xs:complexType name="Struct">
    <xs:sequence>
      <xs:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/>
    </xs:sequence>
    <xs:attributeGroup ref="enc:commonAttributes"/>
  </xs:complexType>
  <xs:element name="Struct" type="enc:Struct"/>
  <xs:simpleType name="base64"><xs:restriction base="xs:base64Binary"/></xs:simpleType>
  ${simple}
</xs:schema>
`;
}

const XML_SCHEMA = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema ${XS} targetNamespace="${XML_NAMESPACE}" xml:lang="en">
  <xs:attribute name="lang"><xs:simpleType><xs:union memberTypes="xs:language"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value=""/></xs:restriction></xs:simpleType></xs:union></xs:simpleType></xs:attribute>
  <xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName"><xs:enumeration value="default"/><xs:enumeration value="preserve"/></xs:restriction></xs:simpleType></xs:attribute>
  <xs:attribute name="base" type="xs:anyURI"/>
  <xs:attribute name="id" type="xs:ID"/>
  <xs:attributeGroup name="specialAttrs">
    <xs:attribute ref="xml:base"/>
    <xs:attribute ref="xml:lang"/>
    <xs:attribute ref="xml:space"/>
    <xs:attribute ref="xml:id"/>
  </xs:attributeGroup>
</xs:schema>
`;

export interface BuiltinSchema {
  /** Name used in references (`builtin:<name>`). */
  name: string;
  namespace: string;
  text: string;
}

export const BUILTIN_SCHEMAS: BuiltinSchema[] = [
  {
    name: 'soap11-encoding.xsd',
    namespace: SOAP_11_ENCODING,
    text: encodingSchema(SOAP_11_ENCODING),
  },
  {
    name: 'soap12-encoding.xsd',
    namespace: SOAP_12_ENCODING,
    text: encodingSchema(SOAP_12_ENCODING),
  },
  { name: 'xml.xsd', namespace: XML_NAMESPACE, text: XML_SCHEMA },
];

export function builtinSchema(namespace: string): BuiltinSchema | undefined {
  return BUILTIN_SCHEMAS.find((s) => s.namespace === namespace);
}
