import { HOME_URL, safeReturnUrl } from './return-url';

describe('safeReturnUrl', () => {
  it.each([
    [null, HOME_URL],
    ['', HOME_URL],
    ['https://evil.example/', HOME_URL],
    ['//evil.example', HOME_URL],
    ['/\\evil.example', HOME_URL],
    ['/sign-in', HOME_URL],
    ['/sign-in?returnUrl=%2Fpackages', HOME_URL],
    ['/packages/1/members', '/packages/1/members'],
  ])('turns %p into %p', (raw, expected) => {
    expect(safeReturnUrl(raw)).toBe(expected);
  });
});
