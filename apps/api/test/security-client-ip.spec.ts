import { type TrustProxy } from '../src/core/config/app-config';
import { startTestApp } from './support/test-app';

/**
 * Which address sign-in throttling and the audit log see. A client can put anything in
 * X-Forwarded-For; only the entries the trusted proxies appended count.
 */
describe('client IP behind reverse proxies (TRUST_PROXY)', () => {
  const spoofed = '6.6.6.6';
  const client = '198.51.100.7';
  const proxy = '10.9.9.9';

  it.each<[string, TrustProxy, string]>([
    ['no proxy trusted: the socket address', false, proxy],
    ['one hop: the address the proxy appended, not what the client wrote', 1, client],
    ['the proxy by CIDR: the first untrusted address from the right', ['10.9.9.0/24'], client],
    [
      'every hop trusted (a misconfiguration): the client may pick',
      ['10.0.0.0/8', '198.51.100.0/24'],
      spoofed,
    ],
  ])('%s', async (_name, trustProxy, expected) => {
    const t = await startTestApp({ config: { trustProxy } });
    try {
      const response = await t.request({
        method: 'POST',
        url: '/api/auth/login',
        as: null,
        remoteAddress: proxy,
        headers: { 'x-forwarded-for': `${spoofed}, ${client}` },
        payload: { username: 'nobody', password: 'not-the-password-at-all' },
      });
      expect(response.statusCode).toBe(401);
      const rows = await t.db.pool.query<{ ip: string }>(
        `SELECT changes->'ip'->>'after' AS ip FROM audit_log WHERE action = 'LOGIN_FAILED'`,
      );
      expect(rows.rows.map((r) => r.ip)).toEqual([expected]);
    } finally {
      await t.close();
    }
  });
});
