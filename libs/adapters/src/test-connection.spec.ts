import { type ConnectionTestStep } from './shared/steps';
import { testAdapterConnection } from './test-connection';
import { refusedPort } from './testing/ports';

describe('testAdapterConnection', () => {
  it('reports EMAIL steps to onStep as they complete, labelled SMTP and IMAP like the result', async () => {
    const [smtpPort, imapPort] = [await refusedPort(), await refusedPort()];
    const heard: ConnectionTestStep[] = [];
    const result = await testAdapterConnection(
      {
        kind: 'EMAIL',
        config: {
          smtp: { host: '127.0.0.1', port: smtpPort, from: 'orders@example.com', tls: 'none' },
          imap: { host: '127.0.0.1', port: imapPort, username: 'orders', tls: 'none' },
        },
        secrets: {},
      },
      { onStep: (step) => heard.push(step) },
    );
    expect(result.ok).toBe(false);
    expect(heard).toEqual(result.steps);
    expect(heard.map((s) => `${s.step}:${s.status}:${s.message.slice(0, 5)}`)).toEqual(
      expect.arrayContaining([
        'resolve:passed:SMTP:',
        'connect:failed:SMTP:',
        'connect:failed:IMAP:',
      ]),
    );
  });
});
