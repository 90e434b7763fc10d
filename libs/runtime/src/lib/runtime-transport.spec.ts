import { RuntimeSettingsError } from './runtime-settings';
import { DEFAULT_NATS_URL, readRuntimeTransport } from './runtime-transport';

describe('runtime transport (RUNTIME_TRANSPORT, RUNTIME_NATS_URL)', () => {
  it.each([
    [{}, { kind: 'postgres' }],
    [{ RUNTIME_TRANSPORT: ' postgres ' }, { kind: 'postgres' }],
    [{ RUNTIME_NATS_URL: 'nats://broker:4222' }, { kind: 'postgres' }],
    [{ RUNTIME_TRANSPORT: 'NATS' }, { kind: 'nats', url: DEFAULT_NATS_URL }],
    [
      { RUNTIME_TRANSPORT: 'nats', RUNTIME_NATS_URL: 'nats://a:4222,nats://b:4222' },
      { kind: 'nats', url: 'nats://a:4222,nats://b:4222' },
    ],
  ])('reads %j as %j', (env, expected) => {
    expect(readRuntimeTransport(env)).toEqual(expected);
  });

  it.each([
    [{ RUNTIME_TRANSPORT: 'rabbitmq' }, 'RUNTIME_TRANSPORT must be "postgres" or "nats"'],
    [
      { RUNTIME_TRANSPORT: 'nats', RUNTIME_NATS_URL: 'http://broker:4222' },
      'RUNTIME_NATS_URL must be one or more comma-separated nats://host:port URLs',
    ],
  ])('refuses %j naming the variable', (env, problem) => {
    expect(() => readRuntimeTransport(env)).toThrow(RuntimeSettingsError);
    expect(() => readRuntimeTransport(env)).toThrow(problem);
  });
});
