import { layoutGraph, NODE_WIDTH } from './graph-layout';

describe('layoutGraph', () => {
  it('keeps the saved positions when every node has one and no boxes overlap', async () => {
    const positions = await layoutGraph(
      [
        { id: 'a', position: { x: 0, y: 0 } },
        { id: 'b', position: { x: 400, y: 40 } },
      ],
      [{ from: 'a', to: 'b' }],
    );
    expect([...positions]).toEqual([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 400, y: 40 }],
    ]);
  });

  it('lays out left to right with ELK when positions are missing or overlap', async () => {
    const positions = await layoutGraph(
      [{ id: 'a', position: { x: 0, y: 0 } }, { id: 'b', position: { x: 1, y: 0 } }, { id: 'c' }],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'nowhere' },
      ],
    );
    const x = (id: string) => positions.get(id)?.x ?? Number.NaN;
    expect(x('b') - x('a')).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(x('c') - x('b')).toBeGreaterThanOrEqual(NODE_WIDTH);
  });
});
