import { type ConfigOption, type FormlyFieldConfig } from '@ngx-formly/core';
import { type FormlyJsonschema } from '@ngx-formly/core/json-schema';

import { type ApiFailure } from '../../api/api-result';
import { FormlyArrayType, FormlyKeyValueType, FormlyObjectType } from './adapter-form-types';

/** The error key of a message from the API on a configuration field (see `applyPointerErrors`). */
const API_ERROR = 'api';

/** Types and messages for forms rendered from the adapter configuration JSON Schemas. */
export const formlyMessages: ConfigOption = {
  types: [
    { name: 'string', extends: 'input' },
    { name: 'number', extends: 'input', defaultOptions: { props: { type: 'number' } } },
    { name: 'integer', extends: 'input', defaultOptions: { props: { type: 'number' } } },
    { name: 'boolean', extends: 'checkbox' },
    { name: 'enum', extends: 'select' },
    { name: 'object', component: FormlyObjectType },
    { name: 'array', component: FormlyArrayType },
    // An object of free-form string values (HTTP headers): name/value rows.
    { name: 'key-value', component: FormlyKeyValueType },
    // `oneOf`/`anyOf` with alternatives a user picks: every branch's fields, one after another.
    { name: 'multischema', component: FormlyObjectType },
  ],
  validationMessages: [
    { name: 'required', message: 'Required.' },
    { name: 'type', message: 'Not the right kind of value.' },
    { name: 'minLength', message: (_e, f) => `At least ${String(f.props?.minLength)} characters.` },
    { name: 'maxLength', message: (_e, f) => `At most ${String(f.props?.maxLength)} characters.` },
    { name: 'min', message: (_e, f) => `At least ${String(f.props?.min)}.` },
    { name: 'max', message: (_e, f) => `At most ${String(f.props?.max)}.` },
    { name: 'pattern', message: 'Not in the expected format.' },
    { name: API_ERROR, message: (error: unknown) => String(error) },
  ],
};

/** `hostKeyFingerprint` → "Host key fingerprint". */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/Ms$/, '(ms)')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1).replace(/\burl\b/g, 'URL');
}

type SchemaNode = Record<string, unknown>;

const isNode = (value: unknown): value is SchemaNode =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** A WSDL a SOAP adapter may name (`wsdlAssetId`). */
export interface WsdlOption {
  readonly value: string;
  readonly label: string;
}

/** An object with no fixed properties whose values are strings (a free-form string map). */
const isStringMap = (source: { properties?: unknown; additionalProperties?: unknown }) =>
  source.properties === undefined &&
  isNode(source.additionalProperties) &&
  source.additionalProperties['type'] === 'string';

/**
 * The form of an adapter type's configuration from its JSON Schema. Secret (`writeOnly`) fields
 * are password inputs that are never prefilled: they say whether a value is set (`set` holds
 * their JSON pointers) and an empty one keeps what is stored. A free-form string map (HTTP
 * `headers`) is a list of name/value rows; a SOAP adapter's `wsdlAssetId` picks one of `wsdls`
 * (the readable WSDL schemas).
 */
export function configurationFields(
  formlyJsonschema: FormlyJsonschema,
  schema: object,
  set: ReadonlySet<string>,
  wsdls: readonly WsdlOption[] = [],
): FormlyFieldConfig {
  const root = formlyJsonschema.toFieldConfig(formSchemaOf(schema), {
    map: (field, source) => {
      const key = typeof field.key === 'string' ? field.key : undefined;
      if (key && !field.props?.label) field.props = { ...field.props, label: labelOf(key) };
      // Read-only for those who may not change it: `formState.readOnly` of the form's options.
      field.expressions = {
        ...field.expressions,
        'props.disabled': (f: FormlyFieldConfig) =>
          (f.options?.formState as { readOnly?: boolean } | undefined)?.readOnly === true,
      };
      if (source.type === 'object' && isStringMap(source)) {
        field.type = 'key-value';
        delete field.fieldGroup;
      }
      if (key === 'wsdlAssetId') {
        field.type = 'select';
        field.props = {
          ...field.props,
          label: 'WSDL',
          placeholder: 'Choose a WSDL schema',
          options: [...wsdls],
        };
      }
      if (source.writeOnly) {
        field.type = 'input';
        field.props = {
          ...field.props,
          type: 'password',
          required: false,
          attributes: { autocomplete: 'new-password' },
        };
        field.defaultValue = undefined;
        field.className = 'ix-secret';
      }
      return field;
    },
  });
  markSecrets(root, '', set);
  return root;
}

/** An `anyOf` whose branches only require properties (EMAIL: SMTP or IMAP): the API checks it. */
const requiresOnly = (branches: unknown): boolean =>
  Array.isArray(branches) &&
  branches.every(
    (b) =>
      isNode(b) &&
      Object.keys(b).every((k) => k === 'required' || k === 'properties') &&
      Object.values(isNode(b['properties']) ? b['properties'] : {}).every((v) => v === true),
  );

/**
 * The schema as the form renders it: an optional section (EMAIL's `smtp`, `afterRead`) starts
 * empty — defaults inside it would make it look filled in and send it half-configured (the
 * runtime applies the same defaults anyway) — and `anyOf`s that only require one of some
 * properties are left to the API's validation.
 */
export function formSchemaOf(schema: object, insideOptional = false): object {
  const out: SchemaNode = { ...(schema as SchemaNode) };
  if (requiresOnly(out['anyOf'])) delete out['anyOf'];
  if (insideOptional) delete out['default'];
  const properties = out['properties'];
  if (isNode(properties)) {
    const required = Array.isArray(out['required']) ? (out['required'] as string[]) : [];
    out['properties'] = Object.fromEntries(
      Object.entries(properties).map(([name, child]) => {
        if (!isNode(child)) return [name, child];
        const optionalSection = child['type'] === 'object' && !required.includes(name);
        return [name, formSchemaOf(child, insideOptional || optionalSection)];
      }),
    );
  }
  return out;
}

function markSecrets(field: FormlyFieldConfig, pointer: string, set: ReadonlySet<string>): void {
  const here = typeof field.key === 'string' ? `${pointer}/${field.key}` : pointer;
  if (field.className === 'ix-secret') {
    const stored = set.has(here);
    field.props = {
      ...field.props,
      description: stored ? 'Set — write-only; leave empty to keep it.' : 'Not set — write-only.',
      attributes: { ...field.props?.attributes, 'data-secret': stored ? 'set' : 'not-set' },
    };
  }
  for (const child of field.fieldGroup ?? []) markSecrets(child, here, set);
}

/** JSON pointers of the stored secrets in a configuration as answered (`{ "set": true }`). */
export function setSecrets(configuration: unknown, pointer = ''): Set<string> {
  const found = new Set<string>();
  if (!configuration || typeof configuration !== 'object' || Array.isArray(configuration))
    return found;
  for (const [key, value] of Object.entries(configuration)) {
    const here = `${pointer}/${key}`;
    if (isSetMarker(value)) found.add(here);
    else for (const p of setSecrets(value, here)) found.add(p);
  }
  return found;
}

/** The configuration as the form's model: stored secrets left out (never prefilled). */
export function formModelOf(configuration: unknown): Record<string, unknown> {
  if (!configuration || typeof configuration !== 'object' || Array.isArray(configuration))
    return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(configuration)) {
    if (isSetMarker(value)) continue;
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) ? formModelOf(value) : value;
  }
  return out;
}

/** The model to send: empty values left out (an empty secret keeps the stored one). */
export function configurationOf(model: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!model || typeof model !== 'object') return out;
  for (const [key, value] of Object.entries(model)) {
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      const inner = configurationOf(value);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else out[key] = value;
  }
  return out;
}

function isSetMarker(value: unknown): boolean {
  return (
    !!value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    (value as { set?: unknown }).set === true &&
    Object.keys(value).length === 1
  );
}

/**
 * Puts the field errors of a 422 (`/configuration/afterRead/targetFolder`) on the configuration
 * fields they point at, as `{ api: message }`, touched so they show at once. Answers the
 * messages no field took (e.g. `name`, handled by the caller, or a field the form lacks).
 */
export function applyPointerErrors(
  root: FormlyFieldConfig,
  failure: ApiFailure | null,
  prefix = '/configuration',
): { path: string; message: string }[] {
  const unmatched: { path: string; message: string }[] = [];
  for (const error of failure?.problem?.errors ?? []) {
    const path = error.path;
    const control =
      path.startsWith(`${prefix}/`) && root.formControl
        ? root.formControl.get(path.slice(prefix.length + 1).split('/'))
        : null;
    if (!control) {
      unmatched.push(error);
      continue;
    }
    control.setErrors({ ...control.errors, [API_ERROR]: error.message });
    control.markAsTouched();
  }
  return unmatched;
}

/**
 * The schema of an environment overlay: every field optional, no defaults (an overlay holds only
 * what differs in that environment), and no secrets (they are set per environment apart).
 */
export function overlaySchemaOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(overlaySchemaOf);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (['required', 'default', 'if', 'then', 'else', 'allOf', 'anyOf', '$id'].includes(key))
      continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([, child]) => !(child as { writeOnly?: boolean }).writeOnly)
          .map(([name, child]) => [name, overlaySchemaOf(child)]),
      );
    } else out[key] = overlaySchemaOf(value);
  }
  return out;
}
