import { isSecretKey, redactSecrets } from './redaction';

describe('audit redaction', () => {
  it.each([
    ['password', true],
    ['newPassword', true],
    ['client_secret', true],
    ['X-Client-Secret', true],
    ['apiKey', true],
    ['api_key', true],
    ['privateKey', true],
    ['accessToken', true],
    ['refresh_token', true],
    ['Authorization', true],
    ['cookie', true],
    ['credentials', true],
    ['mfaSecret', true],
    ['passwordChangedAt', false],
    ['tokenHint', false],
    ['tokenPrefix', false],
    ['apiKeyId', false],
    ['username', false],
    ['ip', false],
    ['route', false],
    ['tokens', true],
    ['', false],
  ])('treats "%s" as secret: %s', (key, secret) => {
    expect(isSecretKey(key)).toBe(secret);
  });

  it('redacts at any depth, in objects and arrays, and keeps everything else', () => {
    const date = new Date(0);
    expect(
      redactSecrets({
        a: [{ b: { password: 'p', n: 1 } }, 'x', null],
        c: { secret: null, token: 't', when: date },
      }),
    ).toEqual({
      a: [{ b: { password: '[redacted]', n: 1 } }, 'x', null],
      c: { secret: null, token: '[redacted]', when: date },
    });
  });

  it('stops at an absurd depth instead of recursing without bound', () => {
    let deep: unknown = { password: 'p' };
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(JSON.stringify(redactSecrets(deep))).not.toContain('"p"');
  });
});
