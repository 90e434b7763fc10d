import { TestBed } from '@angular/core/testing';
import { FormGroup } from '@angular/forms';
import { type FormlyFieldConfig } from '@ngx-formly/core';
import { FormlyJsonschema } from '@ngx-formly/core/json-schema';

import { ADAPTER_CONFIG_SCHEMAS } from '@integrixs/domain';

import {
  applyPointerErrors,
  configurationFields,
  configurationOf,
  formModelOf,
  formSchemaOf,
  overlaySchemaOf,
  setSecrets,
} from './adapter-form-fields';

const child = (field: FormlyFieldConfig, key: string) =>
  field.fieldGroup?.find((f) => f.key === key);

describe('adapter configuration forms', () => {
  const formly = () => TestBed.inject(FormlyJsonschema);

  it('renders secret fields as empty password inputs that say whether a value is set', () => {
    const root = configurationFields(formly(), ADAPTER_CONFIG_SCHEMAS.SFTP, new Set(['/password']));
    const password = child(root, 'password');
    const privateKey = child(root, 'privateKey');
    expect(password?.props).toMatchObject({ type: 'password', required: false });
    expect(password?.defaultValue).toBeUndefined();
    expect(password?.props?.description).toMatch(/^Set/);
    expect(privateKey?.props?.description).toMatch(/^Not set/);
    expect(child(root, 'hostKeyFingerprint')?.props?.label).toBe('Host key fingerprint');
  });

  it('never prefills a stored secret and leaves empty values out of what it sends', () => {
    const answered = { host: 'h', password: { set: true }, afterRead: { action: 'keep' } };
    expect(setSecrets(answered)).toEqual(new Set(['/password']));
    expect(formModelOf(answered)).toEqual({ host: 'h', afterRead: { action: 'keep' } });
    expect(configurationOf({ host: 'h', password: '', port: null, tls: {} })).toEqual({
      host: 'h',
    });
  });

  it('starts optional sections empty and leaves "SMTP or IMAP" to the API', () => {
    const email = formSchemaOf(ADAPTER_CONFIG_SCHEMAS.EMAIL) as {
      anyOf?: unknown;
      properties: { smtp: { properties: { port: { default?: unknown } } } };
    };
    expect(email.anyOf).toBeUndefined();
    expect(email.properties.smtp.properties.port.default).toBeUndefined();
    const sftp = formSchemaOf(ADAPTER_CONFIG_SCHEMAS.SFTP) as {
      properties: Record<string, { default?: unknown; properties?: Record<string, unknown> }>;
    };
    expect(sftp.properties['port']?.default).toBe(22);
    expect(sftp.properties['retries']?.properties?.['maxAttempts']).not.toHaveProperty('default');
  });

  it('makes an overlay schema without required fields, defaults or secrets', () => {
    const overlay = overlaySchemaOf(ADAPTER_CONFIG_SCHEMAS.SFTP) as {
      required?: unknown;
      properties: Record<string, { default?: unknown }>;
    };
    expect(overlay.required).toBeUndefined();
    expect(Object.keys(overlay.properties)).not.toContain('password');
    expect(overlay.properties['port']?.default).toBeUndefined();
  });

  it('puts 422 messages on the fields their JSON pointers name and answers the rest', () => {
    const root: FormlyFieldConfig = { formControl: new FormGroup({}) };
    const form = root.formControl as FormGroup;
    form.addControl('afterRead', new FormGroup({ targetFolder: new FormGroup({}) }));
    const rest = applyPointerErrors(root, {
      status: 422,
      retryAfter: null,
      problem: {
        type: 'x',
        title: 't',
        status: 422,
        detail: 'd',
        code: 'validation_failed',
        instance: '/',
        traceId: 'x',
        errors: [
          { path: '/configuration/afterRead/targetFolder', message: 'is required', code: 'r' },
          { path: 'name', message: 'already taken', code: 'unique' },
        ],
      } as never,
    });
    expect(form.get(['afterRead', 'targetFolder'])?.getError('api')).toBe('is required');
    expect(rest.map((e) => e.path)).toEqual(['name']);
  });
});
