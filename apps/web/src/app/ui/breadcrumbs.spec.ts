import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { Breadcrumbs, type Crumb } from './breadcrumbs';

@Component({
  imports: [Breadcrumbs],
  template: `<ix-breadcrumbs [crumbs]="crumbs" />`,
})
class Host {
  readonly crumbs: Crumb[] = [
    { label: 'Packages', link: '/packages' },
    { label: 'Order to Cash', link: ['/packages', 'p1'] },
    { label: 'Schemas', link: ['/packages', 'p1', 'schemas'] },
    { label: 'UBL Invoice 2.1', link: ['/packages', 'p1', 'schemas', 's1'] },
  ];
}

describe('Breadcrumbs', () => {
  it('links every step but the last, which is the current page', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    const nav = element.querySelector('nav');
    expect(nav?.getAttribute('aria-label')).toBe('Breadcrumb');
    const links = [...element.querySelectorAll('a')].map((a) => [
      a.textContent,
      a.getAttribute('href'),
    ]);
    expect(links).toEqual([
      ['Packages', '/packages'],
      ['Order to Cash', '/packages/p1'],
      ['Schemas', '/packages/p1/schemas'],
    ]);
    const current = element.querySelector('[aria-current="page"]');
    expect(current?.tagName).toBe('SPAN');
    expect(current?.textContent).toBe('UBL Invoice 2.1');
  });
});
