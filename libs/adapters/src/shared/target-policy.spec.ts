import { resolveTarget, type Lookup, type TargetPolicy } from './target-policy';

/** A fixed DNS table, so the policy is tested without depending on the machine's resolver. */
const table: Record<string, string[]> = {
  'api.example.com': ['93.184.216.34'],
  'rebind.example.com': ['93.184.216.34', '169.254.169.254'],
  'internal.example.com': ['10.1.2.3'],
  'v6.example.com': ['2001:db8::1'],
  'mapped.example.com': ['::ffff:169.254.169.254'],
  localhost: ['127.0.0.1', '::1'],
};
const lookup: Lookup = (host) => {
  const found = table[host];
  if (!found) return Promise.reject(Object.assign(new Error('nx'), { code: 'ENOTFOUND' }));
  return Promise.resolve(
    found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
  );
};

async function verdict(host: string, policy?: TargetPolicy): Promise<string> {
  try {
    const target = await resolveTarget(host, policy, lookup);
    return `allowed ${target.address}`;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('resolveTarget (outbound target policy)', () => {
  it.each<[string, TargetPolicy | undefined, string]>([
    ['api.example.com', undefined, 'allowed 93.184.216.34'],
    ['127.0.0.1', undefined, 'allowed 127.0.0.1'],
    ['localhost', undefined, 'allowed 127.0.0.1'],
    [
      '169.254.169.254',
      undefined,
      '169.254.169.254 is a cloud metadata address and is not allowed',
    ],
    ['fd00:ec2::254', undefined, 'fd00:ec2::254 is a cloud metadata address and is not allowed'],
    ['[fd00:ec2::254]', undefined, 'fd00:ec2::254 is a cloud metadata address and is not allowed'],
    [
      'metadata.google.internal',
      undefined,
      'metadata.google.internal is a cloud metadata endpoint and is not allowed',
    ],
    [
      'rebind.example.com',
      undefined,
      'rebind.example.com (169.254.169.254) is a cloud metadata address and is not allowed',
    ],
    [
      'mapped.example.com',
      undefined,
      'mapped.example.com (169.254.169.254) is a cloud metadata address and is not allowed',
    ],
    ['169.254.169.254', { allowCloudMetadata: true }, 'allowed 169.254.169.254'],
    [
      'localhost',
      { allowLoopback: false },
      'localhost (127.0.0.1) is a loopback address and is not allowed',
    ],
    ['127.0.0.2', { allowLoopback: false }, '127.0.0.2 is a loopback address and is not allowed'],
    ['::1', { allowLoopback: false }, '::1 is a loopback address and is not allowed'],
    [
      'internal.example.com',
      { deny: ['10.0.0.0/8'] },
      'internal.example.com (10.1.2.3) is on the deny list',
    ],
    ['api.example.com', { deny: ['*.example.com'] }, 'api.example.com is on the deny list'],
    ['api.example.com', { allow: ['*.example.com'] }, 'allowed 93.184.216.34'],
    ['v6.example.com', { allow: ['2001:db8::/32'] }, 'allowed 2001:db8::1'],
    [
      'internal.example.com',
      { allow: ['api.example.com', '192.168.0.0/16'] },
      'internal.example.com (10.1.2.3) is not on the allow list',
    ],
    [
      'api.example.com',
      { allow: ['*.example.com'], deny: ['93.184.216.0/24'] },
      'api.example.com (93.184.216.34) is on the deny list',
    ],
  ])('%s with %j → %s', async (host, policy, expected) => {
    expect(await verdict(host, policy)).toBe(expected);
  });

  it('reports a name that does not resolve with its resolver error code', async () => {
    await expect(resolveTarget('nowhere.invalid', undefined, lookup)).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });
});
