import { demoFolders, demoTargetUrl, ownHost } from './demo-flow';

describe('the demo flow settings', () => {
  it.each([
    ['0.0.0.0', 'http://127.0.0.1:4100/api/demo/receiver'],
    ['::', 'http://127.0.0.1:4100/api/demo/receiver'],
    ['127.0.0.1', 'http://127.0.0.1:4100/api/demo/receiver'],
    ['::1', 'http://[::1]:4100/api/demo/receiver'],
  ])('reaches a server listening on %s at %s', (address, url) => {
    expect(demoTargetUrl(4100, ownHost(address))).toBe(url);
  });

  it('keeps the demo folders under the data directory', () => {
    expect(demoFolders('/var/lib/integrixs')).toEqual({
      inbox: '/var/lib/integrixs/demo/inbox',
      processed: '/var/lib/integrixs/demo/processed',
    });
  });
});
