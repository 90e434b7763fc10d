import { TestBed, type ComponentFixture } from '@angular/core/testing';

import { type Permission } from '@integrixs/domain';

import { TokenPermissionPicker } from './token-permission-picker';
import { grantablePermissions, toggled } from './token-permissions';

describe('grantablePermissions', () => {
  it.each([
    ['ADMINISTRATOR', ['user:read', 'audit:read', 'environment:manage', 'package:create']],
    ['DEVELOPER', ['package:create', 'package:list', 'environment:read']],
    ['VIEWER', ['package:list', 'asset:search', 'environment:read']],
  ] as const)('offers a %s the global permissions of the role', (role, expected) => {
    const { global } = grantablePermissions(role);
    for (const permission of expected) expect(global).toContain(permission);
  });

  it('never offers what needs an interactive session or an MFA step-up', () => {
    const { global, package: inPackages } = grantablePermissions('ADMINISTRATOR');
    for (const permission of [
      'account:self',
      'token:manage',
      'user:manage',
      'credential:reveal',
    ] as const) {
      expect([...global, ...inPackages]).not.toContain(permission);
    }
  });

  it('does not offer a VIEWER global permissions of other roles, but every package one', () => {
    const { global, package: inPackages } = grantablePermissions('VIEWER');
    expect(global).not.toContain('package:create');
    expect(global).not.toContain('user:read');
    expect(inPackages).toContain('asset:write'); // limited by their role in each package on use
    expect(inPackages).toContain('flow:deploy');
  });

  it('keeps a choice in the matrix order, without doubles', () => {
    let chosen: Permission[] = [];
    chosen = toggled(chosen, 'asset:read', true);
    chosen = toggled(chosen, 'package:list', true);
    chosen = toggled(chosen, 'package:list', true);
    expect(chosen).toEqual(['package:list', 'asset:read']);
    expect(toggled(chosen, 'package:list', false)).toEqual(['asset:read']);
  });
});

describe('TokenPermissionPicker', () => {
  let fixture: ComponentFixture<TokenPermissionPicker>;
  let element: HTMLElement;

  const settle = async () => {
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
  };
  const checkbox = (permission: string): HTMLInputElement => {
    const label = [...element.querySelectorAll('mat-checkbox')].find((box) =>
      box.textContent?.includes(permission),
    );
    const input = label?.querySelector('input');
    if (!input) throw new Error(`no checkbox for ${permission}`);
    return input;
  };
  const buttonNamed = (name: string): HTMLButtonElement => {
    const button = [...element.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === name,
    );
    if (!button) throw new Error(`no button ${name}`);
    return button;
  };
  const labels = () =>
    [...element.querySelectorAll('mat-checkbox code')].map((code) => code.textContent?.trim());

  async function create(role: 'ADMINISTRATOR' | 'VIEWER'): Promise<void> {
    fixture = TestBed.createComponent(TokenPermissionPicker);
    fixture.componentRef.setInput('role', role);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  it('lists only what the role may grant, each with its description', async () => {
    await create('VIEWER');
    expect(labels()).toContain('package:list');
    expect(labels()).toContain('asset:write');
    expect(labels()).not.toContain('user:read');
    expect(labels()).not.toContain('token:manage');
    expect(element.textContent).toContain('Read assets of the package');
  });

  it('turns permissions on and off and says how many are chosen', async () => {
    await create('ADMINISTRATOR');
    expect(element.textContent).toContain('Choose at least one permission.');
    checkbox('audit:read').click();
    await settle();
    checkbox('asset:read').click();
    await settle();
    expect(fixture.componentInstance.selected()).toEqual(['audit:read', 'asset:read']);
    expect(element.textContent).toContain('2 permissions chosen.');

    checkbox('audit:read').click();
    await settle();
    expect(fixture.componentInstance.selected()).toEqual(['asset:read']);
    expect(checkbox('asset:read').checked).toBe(true);
  });

  it('chooses read-only or everything in one click', async () => {
    await create('VIEWER');
    buttonNamed('Read only').click();
    await settle();
    expect(fixture.componentInstance.selected()).toEqual([
      'package:list',
      'asset:search',
      'environment:read',
      'package:read',
      'asset:read',
    ]);
    buttonNamed('Everything I may grant').click();
    await settle();
    const { global, package: inPackages } = grantablePermissions('VIEWER');
    expect(fixture.componentInstance.selected()).toEqual([...global, ...inPackages]);
    buttonNamed('None').click();
    await settle();
    expect(fixture.componentInstance.selected()).toEqual([]);
  });
});
