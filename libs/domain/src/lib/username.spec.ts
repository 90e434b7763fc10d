import { canonicalUsername } from './username';

describe('canonicalUsername', () => {
  it.each([
    ['alice', 'alice'],
    ['Alice', 'alice'],
    ['  alice  ', 'alice'],
    ['ｆｗ＿ｖｉｃｔｉｍ', 'fw_victim'],
    ['ＡＬＩＣＥ', 'alice'],
    ['\u212Aelvin', 'kelvin'],
    ['\u017Fp_victim', 'sp_victim'],
    ['\u3000alice\u3000', 'alice'],
    ['sp_v\u0130ctim', 'sp_vi\u0307ctim'],
    ['e\u0301', '\u00e9'],
  ])('maps %j to %j', (name, canonical) => {
    expect(canonicalUsername(name)).toBe(canonical);
  });

  it('is idempotent', () => {
    for (const name of ['sp_v\u0130ctim', 'ＡＬＩＣＥ', '\u212Aelvin', 'ǅemal', 'ΣΑΣ'])
      expect(canonicalUsername(canonicalUsername(name))).toBe(canonicalUsername(name));
  });
});
