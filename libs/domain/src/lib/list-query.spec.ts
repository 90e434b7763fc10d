import { parseSort, SORT_VALUES } from './list-query';

describe('parseSort', () => {
  it.each([
    ['name', { field: 'name', descending: false }],
    ['-name', { field: 'name', descending: true }],
    ['createdAt', { field: 'createdAt', descending: false }],
    ['-updatedAt', { field: 'updatedAt', descending: true }],
  ])('reads %s', (value, expected) => {
    expect(parseSort(value)).toEqual(expected);
  });

  it.each(['size', '--name', '', '-'])('refuses %j', (value) => {
    expect(() => parseSort(value)).toThrow(/sort must be one of/);
  });

  it('offers ascending and descending for every field', () => {
    expect(SORT_VALUES).toEqual([
      'name',
      '-name',
      'createdAt',
      '-createdAt',
      'updatedAt',
      '-updatedAt',
    ]);
  });
});
