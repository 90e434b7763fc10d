import { TestBed } from '@angular/core/testing';

import { TabStateStore } from './tab-state';

describe('TabStateStore', () => {
  let store: TabStateStore;
  beforeEach(() => {
    store = TestBed.inject(TabStateStore);
  });

  it('keeps each tab of each package apart', () => {
    store.saveParams('p1', 'schemas', { q: 'invoice' });
    store.saveParams('p1', 'adapters', { adapterType: 'SFTP' });
    store.saveParams('p2', 'schemas', { status: 'READY' });

    expect(store.params('p1', 'schemas')).toEqual({ q: 'invoice' });
    expect(store.params('p1', 'adapters')).toEqual({ adapterType: 'SFTP' });
    expect(store.params('p2', 'schemas')).toEqual({ status: 'READY' });
    expect(store.params('p2', 'adapters')).toEqual({});
  });

  it('keeps the scroll position beside the filters, never below 0', () => {
    store.saveParams('p1', 'schemas', { q: 'a' });
    store.saveScroll('p1', 'schemas', 640);
    expect(store.get('p1', 'schemas')).toEqual({ params: { q: 'a' }, scrollTop: 640 });
    store.saveParams('p1', 'schemas', { q: 'b' });
    expect(store.get('p1', 'schemas')).toEqual({ params: { q: 'b' }, scrollTop: 640 });
    store.saveScroll('p1', 'schemas', -5);
    expect(store.get('p1', 'schemas').scrollTop).toBe(0);
  });

  it('copies what it is given, so a caller changing its object later changes nothing', () => {
    const params: Record<string, string> = { q: 'x' };
    store.saveParams('p1', 'schemas', params);
    params['q'] = 'changed';
    expect(store.params('p1', 'schemas')).toEqual({ q: 'x' });
  });

  it('remembers the last tab open in each package (the overview when none)', () => {
    expect(store.lastTab('p1')).toBe('');
    store.visit('p1', 'schemas');
    store.visit('p2', 'flows');
    store.visit('p1', 'adapters');
    expect(store.lastTab('p1')).toBe('adapters');
    expect(store.lastTab('p2')).toBe('flows');
  });
});
