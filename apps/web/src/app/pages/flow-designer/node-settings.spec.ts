import { TestBed, type ComponentFixture } from '@angular/core/testing';

import { type FlowNode, type FlowSourceNode } from '@integrixs/domain';

import { NodeSettings } from './node-settings';

const source: FlowSourceNode = {
  id: 'in',
  kind: 'source',
  position: { x: 0, y: 0 },
  adapter: { assetId: 'a-1', version: null },
  trigger: { type: 'manual' },
};

describe('NodeSettings: a source node’s rate limit', () => {
  let fixture: ComponentFixture<NodeSettings>;
  let emitted: FlowNode[];

  const element = () => fixture.nativeElement as HTMLElement;
  const text = () => element().textContent?.replace(/\s+/g, ' ') ?? '';
  const field = (label: string) => {
    const found = [...element().querySelectorAll('label')].find((l) =>
      l.textContent?.trim().startsWith(label),
    );
    const input = found?.querySelector('input');
    if (!input) throw new Error(`no field "${label}"`);
    return input;
  };
  /** Types into a field and leaves it (the change event), as a user would. */
  const type = async (label: string, value: string) => {
    const input = field(label);
    input.value = value;
    input.dispatchEvent(new Event('change'));
    fixture.detectChanges();
    await fixture.whenStable();
  };
  const show = async (node: FlowNode) => {
    fixture.componentRef.setInput('node', node);
    fixture.detectChanges();
    await fixture.whenStable();
  };

  beforeEach(async () => {
    fixture = TestBed.createComponent(NodeSettings);
    fixture.componentRef.setInput('assets', []);
    emitted = [];
    fixture.componentInstance.changed.subscribe((node) => emitted.push(node));
    await show(source);
  });

  it('saves a limit once both fields hold whole numbers in range', async () => {
    expect(field('Rate limit: messages').value).toBe('');
    expect(field('per seconds').value).toBe('');

    await type('Rate limit: messages', '10');
    expect(emitted).toEqual([]);
    expect(text()).toContain('Fill in both rate limit fields');

    await type('per seconds', '1');
    expect(emitted).toEqual([{ ...source, rateLimit: { messages: 10, perSeconds: 1 } }]);
    expect(text()).not.toContain('Fill in both rate limit fields');
  });

  it('shows a saved limit and removes it when both fields are emptied', async () => {
    await show({ ...source, rateLimit: { messages: 100, perSeconds: 60 } });
    expect(field('Rate limit: messages').value).toBe('100');
    expect(field('per seconds').value).toBe('60');

    await type('Rate limit: messages', '');
    expect(emitted).toEqual([]);
    await type('per seconds', '');
    expect(emitted).toEqual([source]);
  });

  it.each([
    ['no messages', '0', '1', 'Messages: a whole number from 1 to 100000'],
    ['too many messages', '100001', '1', 'Messages: a whole number from 1 to 100000'],
    ['a fraction of a second', '5', '0.5', 'Per seconds: a whole number from 1 to 86400'],
    ['more than a day', '5', '86401', 'Per seconds: a whole number from 1 to 86400'],
  ])('refuses %s with a message naming the field, saving nothing', async (_, m, s, message) => {
    await type('Rate limit: messages', m);
    await type('per seconds', s);
    expect(emitted).toEqual([]);
    expect(text()).toContain(message);
    expect(
      field(message.startsWith('Messages') ? 'Rate limit: messages' : 'per seconds').getAttribute(
        'aria-invalid',
      ),
    ).toBe('true');
  });

  it('has no rate limit fields on other kinds of step', async () => {
    await show({ id: 'map', kind: 'map', position: { x: 1, y: 0 }, mapping: { assetId: 'm-1' } });
    expect(text()).not.toContain('Rate limit');
  });
});
