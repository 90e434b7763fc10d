import { auditQueryOf, changesOf, NO_FILTERS, type AuditFilters } from './audit-filters';

const filters = (changes: Partial<AuditFilters>): AuditFilters => ({ ...NO_FILTERS, ...changes });
const ID = '5b0c6f5e-1a2b-4c3d-9e8f-0a1b2c3d4e5f';

describe('auditQueryOf', () => {
  it('leaves every empty filter out', () => {
    expect(auditQueryOf(NO_FILTERS)).toEqual({ ok: true, query: {}, actorUsername: null });
  });

  it.each([
    ['a user id', ID, { actor: ID }, null],
    ['system', 'system', { actor: 'system' }, null],
    ['anonymous', ' anonymous ', { actor: 'anonymous' }, null],
    ['a username (looked up by the page)', ' Alice ', {}, 'alice'],
  ])('takes %s as the actor', (_, actor, query, actorUsername) => {
    expect(auditQueryOf(filters({ actor }))).toEqual({ ok: true, query, actorUsername });
  });

  it('maps entity type, action and package as they are', () => {
    expect(auditQueryOf(filters({ entityType: 'user', action: 'UPDATE', packageId: ID }))).toEqual({
      ok: true,
      query: { entityType: 'user', action: 'UPDATE', packageId: ID },
      actorUsername: null,
    });
  });

  it('turns local times into ISO-8601 instants', () => {
    const outcome = auditQueryOf(filters({ from: '2026-11-01T08:00', to: '2026-11-02T08:00' }));
    expect(outcome).toEqual({
      ok: true,
      query: {
        from: new Date('2026-11-01T08:00').toISOString(),
        to: new Date('2026-11-02T08:00').toISOString(),
      },
      actorUsername: null,
    });
  });

  it.each([
    ['"to" not after "from"', { from: '2026-11-02T08:00', to: '2026-11-02T08:00' }, 'to'],
    ['an unknown action', { action: 'EXPLODE' }, 'action'],
    ['a time that is none', { from: 'yesterday-ish' }, 'from'],
  ])('refuses %s, naming the field', (_, changes, field) => {
    expect(auditQueryOf(filters(changes))).toMatchObject({ ok: false, field });
  });
});

describe('changesOf', () => {
  it('lists before and after per field, by name, absent sides as null', () => {
    expect(
      changesOf({
        changes: {
          role: { before: 'VIEWER', after: 'INTEGRATOR' },
          disabledAt: { before: null, after: '2026-11-29T10:00:00.000Z' },
          created: { after: { code: 'UAT', protected: true } },
        },
      }),
    ).toEqual([
      { field: 'created', before: null, after: '{"code":"UAT","protected":true}' },
      { field: 'disabledAt', before: 'null', after: '2026-11-29T10:00:00.000Z' },
      { field: 'role', before: 'VIEWER', after: 'INTEGRATOR' },
    ]);
  });

  it('shows a value of another shape as it is', () => {
    expect(changesOf({ changes: { ip: '127.0.0.1', count: 3 } })).toEqual([
      { field: 'count', before: null, after: '3' },
      { field: 'ip', before: null, after: '127.0.0.1' },
    ]);
  });
});
