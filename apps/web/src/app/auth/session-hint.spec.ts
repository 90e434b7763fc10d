import { TestBed } from '@angular/core/testing';

import { SESSION_HINT_KEY, SessionHint } from './session-hint';

describe('SessionHint', () => {
  let hint: SessionHint;

  beforeEach(() => {
    localStorage.clear();
    hint = TestBed.inject(SessionHint);
  });

  afterEach(() => jest.restoreAllMocks());

  it('is absent in a fresh browser, present after set, absent after clear', () => {
    expect(hint.present()).toBe(false);
    hint.set();
    expect(hint.present()).toBe(true);
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBe('1'); // never a token
    hint.clear();
    expect(hint.present()).toBe(false);
  });

  it('counts as absent, and never throws, when storage is blocked', () => {
    const blocked = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    jest.spyOn(Storage.prototype, 'getItem').mockImplementation(blocked);
    jest.spyOn(Storage.prototype, 'setItem').mockImplementation(blocked);
    jest.spyOn(Storage.prototype, 'removeItem').mockImplementation(blocked);
    expect(() => hint.set()).not.toThrow();
    expect(hint.present()).toBe(false);
    expect(() => hint.clear()).not.toThrow();
  });
});
