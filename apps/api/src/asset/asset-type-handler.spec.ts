import { splitSecrets } from './asset-rows';
import { AssetTypeRegistry, BasicAssetTypeHandler } from './asset-type-handler';
import { AssetVersion } from './entities/asset-version.entity';

describe('AssetTypeRegistry', () => {
  it('hands out the handler a type module registered, and refuses a second one for the type', () => {
    const registry = new AssetTypeRegistry();
    const flows = new BasicAssetTypeHandler('FLOW', AssetVersion);
    registry.register(flows);
    expect(registry.get('FLOW')).toBe(flows);
    expect(() => registry.register(new BasicAssetTypeHandler('FLOW', AssetVersion))).toThrow(
      'asset type FLOW has two handlers',
    );
  });

  it('names the type whose module registered no handler', () => {
    expect(() => new AssetTypeRegistry().get('MAPPING')).toThrow(
      'no handler is registered for asset type MAPPING',
    );
  });
});

describe('splitSecrets (the contract of AssetTypeHandler.secretFields)', () => {
  it.each([
    {
      name: 'takes the secret fields out of the versioned content',
      content: { host: 'sftp.example', password: 'hunter2', port: 22 },
      fields: ['password', 'privateKey'],
      kept: { host: 'sftp.example', port: 22 },
      secrets: { password: 'hunter2' },
    },
    {
      name: 'leaves content alone when the type has no secret fields',
      content: { password: 'not a secret here' },
      fields: [],
      kept: { password: 'not a secret here' },
      secrets: {},
    },
    {
      name: 'leaves content that is not an object alone',
      content: ['password'],
      fields: ['password'],
      kept: ['password'],
      secrets: {},
    },
  ])('$name', ({ content, fields, kept, secrets }) => {
    expect(splitSecrets(content, fields)).toEqual({ content: kept, secrets });
  });
});
