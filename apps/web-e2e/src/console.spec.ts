import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { strToU8, zipSync } from 'fflate';
import { type Browser, type Locator, type Page } from 'playwright-core';

import { type PackagePageDto } from '@integrixs/api-client';

// The real API with the api project's test harness (one database per file); a relative import
// because test support is not a library.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/test-app';
import { apiAs } from './support/api-as';
import { axeViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { buildConsole, type ConsoleBuild } from './support/console-build';
import { openPage, type WatchedPage } from './support/console-page';
import { Seeder } from './support/seed';
import { signIn } from './support/sign-in';

/** A small invoice schema: a root with a required date and repeated lines (one level deeper). */
const INVOICE_XSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:example:invoice" xmlns="urn:example:invoice" elementFormDefault="qualified">
  <xs:element name="Invoice">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="ID" type="xs:string"/>
        <xs:element name="IssueDate" type="xs:date"/>
        <xs:element name="InvoiceLine" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="LineAmount" type="xs:decimal"/>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>`;

/** A customer with a name and an e-mail address; `withEmail: false` is the breaking next version. */
const customerXsd = (
  withEmail = true,
): string => `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:example:customer" xmlns="urn:example:customer" elementFormDefault="qualified">
  <xs:element name="Customer">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Name" type="xs:string"/>${withEmail ? '\n        <xs:element name="Email" type="xs:string"/>' : ''}
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>`;

/** A schema importing the customer schema from the library: an asset a customer change affects. */
const CUSTOMER_ORDER_XSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:example:customer-order" xmlns:c="urn:example:customer" elementFormDefault="qualified">
  <xs:import namespace="urn:example:customer"/>
  <xs:element name="CustomerOrder">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="c:Customer"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>`;

/** A loyalty card with one string element named `field`: each name is different content. */
const loyaltyXsd = (
  field: string,
): string => `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="LoyaltyCard">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="${field}" type="xs:string"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>`;

/** An invoice payload; `issueDate` on line 3. */
const invoice = (issueDate: string): string => `<Invoice xmlns="urn:example:invoice">
  <ID>INV-1</ID>
  <IssueDate>${issueDate}</IssueDate>
  <InvoiceLine><LineAmount>10.50</LineAmount></InvoiceLine>
</Invoice>`;

describe('the console, served by the API, in Chromium', () => {
  let browser: Browser | undefined;
  let consoleBuild: ConsoleBuild | undefined;
  let t: TestApp | undefined;
  let baseUrl: string;
  let watched: WatchedPage | undefined;
  let page: Page;
  /** A DEVELOPER member of every seeded package: the console shows them all to this user. */
  let developer: TestUser;
  /** A VIEWER member of Customer Master: sees its schemas but none of the write actions. */
  let viewer: TestUser;
  const ids = {
    orderToCash: '',
    procureToPay: '',
    invoiceSchema: '',
    customerMaster: '',
    customerSchema: '',
  };
  const FILLER_PACKAGES = 47; // 51 packages in all: one more than a page of 50
  /** Schema files the tests upload through the console's file inputs. */
  const files = mkdtempSync(path.join(tmpdir(), 'integrixs-schemas-'));
  const file = (name: string, text: string): string => {
    const full = path.join(files, name);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  };

  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing Chromium fails before anything slow
    consoleBuild = await buildConsole();
    t = await startTestApp({ config: { webDistDir: consoleBuild.dir } });
    baseUrl = await t.listen();

    const seed = new Seeder(baseUrl, t.admin.token);
    const orderToCash = await seed.createPackage(
      'Order to Cash',
      'Sales orders from the web shop to the ERP, invoices back.',
      ['sales', 'erp'],
    );
    const invoiceSchema = await seed.createSchema(
      orderToCash.id,
      'UBL Invoice 2.1',
      INVOICE_XSD,
      'invoice.xsd',
    );
    await seed.createSchema(orderToCash.id, 'UBL Order 2.1');
    const procureToPay = await seed.createPackage('Procure to Pay', 'Purchase orders.', [
      'purchasing',
    ]);
    await seed.createSchema(procureToPay.id, 'Supplier Catalogue');
    const recordToReport = await seed.createPackage('Record to Report');
    const customerMaster = await seed.createPackage('Customer Master', 'Customer master data.');
    const customerSchema = await seed.createSchema(
      customerMaster.id,
      'Customer',
      customerXsd(),
      'customer.xsd',
    );
    await seed.createSchema(
      customerMaster.id,
      'Customer Order',
      CUSTOMER_ORDER_XSD,
      'customer-order.xsd',
    );
    const fillers = await Promise.all(
      Array.from({ length: FILLER_PACKAGES }, (_, i) =>
        seed.createPackage(`Zeta ${String(i + 1).padStart(2, '0')}`),
      ),
    );
    const memberships = [orderToCash, procureToPay, recordToReport, customerMaster, ...fillers].map(
      (pkg) => [pkg.id, 'DEVELOPER'] as const,
    );
    developer = await t.createUser({
      role: 'DEVELOPER',
      packages: Object.fromEntries(memberships),
    });
    ids.orderToCash = orderToCash.id;
    ids.procureToPay = procureToPay.id;
    ids.invoiceSchema = invoiceSchema.id;
    ids.customerMaster = customerMaster.id;
    ids.customerSchema = customerSchema.id;
    viewer = await t.createUser({ role: 'VIEWER', packages: { [customerMaster.id]: 'VIEWER' } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    consoleBuild?.remove();
    rmSync(files, { recursive: true, force: true });
  });

  beforeEach(async () => {
    if (!browser) throw new Error('Chromium did not start (see beforeAll)');
    watched = await openPage(browser, baseUrl);
    page = watched.page;
    await signIn(page, developer); // every page needs a signed-in user
  });

  afterEach(async () => {
    await watched?.context.close();
    // No uncaught error in the console's code, no CSP violation.
    expect(watched?.problems).toEqual([]);
    watched = undefined;
  });

  const packageList = (): Locator => page.getByRole('list', { name: 'Packages' });
  /** A package's card in the list, found by the link on its name. */
  const packageItem = (name: string): Locator =>
    packageList()
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name, exact: true }) });
  const searchBox = (): Locator => page.getByLabel('Search packages');

  /** `{ Schemas: '2', …, Total: '2' }` from the term/definition pairs of a description list. */
  async function countsIn(scope: Locator): Promise<Record<string, string>> {
    const terms = await scope.getByRole('term').allInnerTexts();
    const values = await scope.getByRole('definition').allInnerTexts();
    return Object.fromEntries(terms.map((term, i) => [term.trim(), values[i]?.trim()]));
  }

  const counts = (schemas: number) => ({
    Schemas: String(schemas),
    Adapters: '0',
    Mappings: '0',
    Flows: '0',
    Total: String(schemas),
  });

  it('loads at / from the API port and lists the seeded packages with their asset counts', async () => {
    const response = await page.goto('/');
    expect(response?.headers()['content-type']).toContain('text/html');

    await packageItem('Order to Cash').waitFor();
    expect(page.url()).toBe(`${baseUrl}/packages`);
    await page.getByRole('heading', { level: 1, name: 'Packages' }).waitFor();
    expect(await page.getByRole('status').innerText()).toBe('51 packages');

    const orderToCash = packageItem('Order to Cash');
    expect(await countsIn(orderToCash)).toEqual(counts(2));
    expect(
      await orderToCash.getByRole('list', { name: 'Tags' }).getByRole('listitem').allInnerTexts(),
    ).toEqual(['sales', 'erp']);
    await orderToCash
      .getByText('Sales orders from the web shop to the ERP, invoices back.')
      .waitFor();
    expect(await countsIn(packageItem('Procure to Pay'))).toEqual(counts(1));
    expect(await countsIn(packageItem('Record to Report'))).toEqual(counts(0));
  });

  it('loads the next page with "Load more" until every package is shown', async () => {
    await page.goto('/packages');
    await packageItem('Order to Cash').waitFor();
    expect(await packageList().getByRole('link').count()).toBe(50);
    await packageItem('Zeta 47').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Load more' }).click();
    await packageItem('Zeta 47').waitFor();
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    expect(await packageList().getByRole('link').count()).toBe(51);
  });

  it('filters the list by the search box (name, description and tags) and keeps it in the URL', async () => {
    await page.goto('/packages');
    await packageItem('Order to Cash').waitFor();

    await searchBox().fill('procure');
    await packageItem('Order to Cash').waitFor({ state: 'detached' });
    expect(await packageList().getByRole('link').allInnerTexts()).toEqual(['Procure to Pay']);
    await page.waitForURL(`${baseUrl}/packages?q=procure`);

    await searchBox().fill('erp'); // a tag of Order to Cash
    await packageItem('Procure to Pay').waitFor({ state: 'detached' });
    expect(await packageList().getByRole('link').allInnerTexts()).toEqual(['Order to Cash']);

    await searchBox().fill('no such thing');
    await page.getByText('No packages match “no such thing”.').waitFor();

    await page.goto('/packages?q=procure'); // a shared search link
    await packageItem('Procure to Pay').waitFor();
    expect(await searchBox().inputValue()).toBe('procure');
    expect(await packageList().getByRole('link').allInnerTexts()).toEqual(['Procure to Pay']);
  });

  it("shows the API's problem detail when the list cannot be loaded", async () => {
    const tooLong = 'x'.repeat(201); // q is capped at 200 characters: a real 400 problem
    const { error } = await apiAs(baseUrl, developer.token).GET('/api/packages', {
      params: { query: { q: tooLong } },
    });
    const detail = error?.detail ?? '';
    expect(detail).toMatch(/\bq\b/); // names the field

    await page.goto('/packages');
    await packageItem('Order to Cash').waitFor();
    await searchBox().fill(tooLong);
    const alert = page.getByRole('alert');
    await alert.getByText('Packages could not be loaded.').waitFor();
    await alert.getByText(detail, { exact: true }).waitFor();

    await searchBox().fill('');
    await packageItem('Order to Cash').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('opens a package from the list and shows its container contents', async () => {
    await page.goto('/packages');
    await page.getByRole('link', { name: 'Order to Cash', exact: true }).click();

    await page.getByRole('heading', { level: 1, name: 'Order to Cash' }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/packages/${ids.orderToCash}`);
    const contents = page.getByRole('region', { name: 'Container contents' });
    await contents.waitFor();
    expect(await countsIn(contents)).toEqual(counts(2));

    const matrix = contents.getByRole('table', { name: 'Assets by type and status' });
    expect(await matrix.getByRole('columnheader').allInnerTexts()).toEqual(['Type', 'Draft']);
    const schemasRow = matrix
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Schemas' }) });
    expect(await schemasRow.getByRole('cell').allInnerTexts()).toEqual(['2']);

    const lastModified = page.getByRole('region', { name: 'Last modified' });
    const names = await lastModified.getByRole('rowheader').allInnerTexts();
    expect(names.sort()).toEqual(['UBL Invoice 2.1', 'UBL Order 2.1']);
    const invoiceRow = lastModified
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'UBL Invoice 2.1' }) });
    expect((await invoiceRow.getByRole('cell').allInnerTexts()).slice(0, 3)).toEqual([
      'Schema',
      'Draft',
      '1',
    ]);

    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link').click();
    await packageItem('Order to Cash').waitFor();
  });

  it('shows a package as a workspace of tabs, each with its own deep link', async () => {
    await page.goto(`/packages/${ids.orderToCash}`);
    const tabs = page.getByRole('tablist', { name: 'Package sections' });
    await page.getByRole('heading', { level: 1, name: 'Order to Cash' }).waitFor();
    // The asset tabs carry their live count (a number after the label).
    expect(await tabs.locator('.tab-count').count()).toBe(4);
    const labels = await tabs.getByRole('tab').allInnerTexts();
    expect(labels.map((text) => text.replace(/\s*\d+$/, ''))).toEqual([
      'Overview',
      'Schemas',
      'Adapters',
      'Mappings',
      'Flows',
      'Dependencies',
      'Runtime',
      'Members',
      'Audit',
    ]);
    expect(await tabs.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).toBe(
      'true',
    );

    // The Adapters tab lists the package's adapters (none here).
    await tabs.getByRole('tab', { name: 'Adapters' }).click();
    await page.waitForURL(`${baseUrl}/packages/${ids.orderToCash}/adapters`);
    await page
      .getByRole('region', { name: 'Adapters' })
      .getByText('This package holds no adapters yet.')
      .waitFor();

    // A deep link to a tab, also on reload: the members with their role in the package.
    await page.goto(`/packages/${ids.orderToCash}/members`);
    const members = page.getByRole('table', { name: "The package's members" });
    const me = members
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: developer.username }) });
    await me.waitFor();
    expect((await me.getByRole('cell').allInnerTexts())[0]).toBe('Developer');
    await page.reload();
    await me.waitFor();
    const trail = page.getByRole('navigation', { name: 'Breadcrumb' });
    expect(await trail.getByRole('listitem').allInnerTexts()).toEqual([
      'Packages',
      'Order to Cash',
      'Members',
    ]);
    expect(await tabs.getByRole('tab', { name: 'Members' }).getAttribute('aria-selected')).toBe(
      'true',
    );

    // The audit trail is for package administrators only.
    // Nine tabs overflow a narrow window: the tab bar pages them; the keyboard reaches every tab.
    await tabs.getByRole('tab', { name: 'Audit' }).press('Enter');
    await page.getByText('Only package administrators can read the audit trail.').waitFor();
    expect(await page.getByRole('table', { name: /audit trail/ }).count()).toBe(0);
  });

  it('shows the audit trail of a package to an administrator, newest first', async () => {
    if (!browser || !t) throw new Error('Chromium or the API did not start (see beforeAll)');
    const admin = await openPage(browser, baseUrl);
    try {
      await signIn(admin.page, t.admin);
      await admin.page.goto(`/packages/${ids.procureToPay}/audit`);
      const trail = admin.page.getByRole('table', {
        name: "The package's audit trail, newest first",
      });
      await trail.getByRole('rowheader').first().waitFor();
      const actions = await trail
        .getByRole('row')
        .evaluateAll((rows) =>
          rows.slice(1).map((row) => row.querySelectorAll('td')[0]?.textContent?.trim()),
        );
      expect(actions.length).toBeGreaterThan(0);
      expect(actions).toContain('CREATE'); // the package and its schema were created
    } finally {
      await admin.context.close();
    }
    expect(admin.problems).toEqual([]);
  });

  it('opens a deep link to a package, also on reload (SPA fallback)', async () => {
    const response = await page.goto(`/packages/${ids.procureToPay}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    const heading = page.getByRole('heading', { level: 1, name: 'Procure to Pay' });
    await heading.waitFor();

    await page.reload();
    await heading.waitFor();
    expect(await countsIn(page.getByRole('region', { name: 'Container contents' }))).toEqual(
      counts(1),
    );
  });

  it('shows the not-found state for an unknown package id', async () => {
    await page.goto(`/packages/${randomUUID()}`);
    await page.getByRole('heading', { level: 1, name: 'Package not found' }).waitFor();

    await page.goto('/packages/not-a-package-id');
    await page.getByRole('heading', { level: 1, name: 'Package not found' }).waitFor();
    await page.getByRole('link', { name: 'Back to all packages' }).click();
    await packageItem('Order to Cash').waitFor();
  });

  it("opens a schema from its package's Schemas tab: facts, files, version history and structure", async () => {
    await page.goto(`/packages/${ids.orderToCash}`);
    await page.getByRole('tab', { name: 'Schemas' }).click();
    await page.waitForURL(`${baseUrl}/packages/${ids.orderToCash}/schemas`);
    expect(await page.getByRole('tab', { name: 'Schemas' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    const schemas = page.getByRole('region', { name: 'Schemas' });
    await schemas.getByRole('link', { name: 'UBL Invoice 2.1' }).waitFor();
    expect(await schemas.getByRole('link').allInnerTexts()).toEqual([
      'UBL Invoice 2.1',
      'UBL Order 2.1',
    ]);
    await schemas.getByRole('link', { name: 'UBL Invoice 2.1' }).click();

    await page.getByRole('heading', { level: 1, name: 'UBL Invoice 2.1' }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/packages/${ids.orderToCash}/schemas/${ids.invoiceSchema}`);
    const facts = page.locator('header dl');
    expect(await countsIn(facts)).toMatchObject({
      Type: 'XSD',
      'Target namespace': 'urn:example:invoice',
      'Current version': '1',
    });
    const files = page.getByRole('list', { name: 'Files' }).getByRole('listitem');
    expect(await files.allInnerTexts()).toEqual(['invoice.xsd main']);

    const history = page.getByRole('region', { name: 'Version history' });
    const versionRow = history
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: '1' }) });
    expect((await versionRow.getByRole('cell').allInnerTexts()).slice(0, 1)).toEqual([
      t?.admin.username,
    ]);

    // The roots are open, deeper fields wait to be expanded.
    const structure = page.getByRole('region', { name: 'Structure' });
    const root = structure.getByRole('button', { name: 'Invoice', exact: true });
    expect(await root.getAttribute('aria-expanded')).toBe('true');
    await structure.getByText('IssueDate').waitFor();
    const line = structure.getByRole('button', { name: 'InvoiceLine' });
    expect(await line.getAttribute('aria-expanded')).toBe('false');
    expect(await structure.getByText('LineAmount').count()).toBe(0);
    await line.click();
    await structure.getByText('LineAmount').waitFor();
    await root.click();
    await structure.getByText('IssueDate').waitFor({ state: 'detached' });

    // Packages › Order to Cash › Schemas › UBL Invoice 2.1 (the current page, not a link)
    const trail = page.getByRole('navigation', { name: 'Breadcrumb' });
    expect(await trail.getByRole('listitem').allInnerTexts()).toEqual([
      'Packages',
      'Order to Cash',
      'Schemas',
      'UBL Invoice 2.1',
    ]);
    expect(await trail.getByRole('link').count()).toBe(3);
    await trail.getByRole('link', { name: 'Schemas' }).click();
    await page.waitForURL(`${baseUrl}/packages/${ids.orderToCash}/schemas`);
    await page.getByRole('region', { name: 'Schemas' }).getByRole('link').first().waitFor();
    await trail.getByRole('link', { name: 'Order to Cash' }).click();
    await page.getByRole('region', { name: 'Container contents' }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/packages/${ids.orderToCash}`);
  });

  it('validates a pasted payload against the schema: "Valid", or each error with its line', async () => {
    await page.goto(`/packages/${ids.orderToCash}/schemas/${ids.invoiceSchema}`);
    const panel = page.getByRole('region', { name: 'Validate a payload' });
    const payload = panel.getByLabel('Payload (XML)');
    const validate = panel.getByRole('button', { name: 'Validate' });

    await payload.fill(invoice('2026-11-25'));
    await validate.click();
    await panel.getByText('Valid', { exact: true }).waitFor();

    await payload.fill(invoice('2026-13-01'));
    await validate.click();
    const errors = panel.getByRole('list', { name: 'Errors' });
    await errors.waitFor();
    const [error, ...more] = await errors.getByRole('listitem').allInnerTexts();
    expect(more).toEqual([]);
    expect(error).toMatch(/^Line 3(, column \d+)?: .*IssueDate.*2026-13-01/);
    expect(await panel.getByText('Valid', { exact: true }).count()).toBe(0);
  });

  it('shows the not-found state for an unknown schema id', async () => {
    await page.goto(`/packages/${ids.orderToCash}/schemas/${randomUUID()}`);
    await page.getByRole('heading', { level: 1, name: 'Schema not found' }).waitFor();
    await page.getByRole('link', { name: 'Back to the package' }).click();
    await page.getByRole('heading', { level: 1, name: 'Order to Cash' }).waitFor();
  });

  /** The row of `version` in the version history. */
  const versionRow = (version: number): Locator =>
    page
      .getByRole('region', { name: 'Version history' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: String(version), exact: true }) });

  it('adds a schema through the form and opens its page', async () => {
    await page.goto(`/packages/${ids.customerMaster}/schemas`);
    const schemas = page.getByRole('region', { name: 'Schemas' });
    await schemas.getByRole('button', { name: 'Add schema' }).click();

    const form = schemas.getByRole('form', { name: 'Add a schema' });
    await form.getByLabel('Name').fill('Customer Address');
    await form.getByLabel('Type').selectOption('XSD');
    await form.getByLabel('Description (optional)').fill('Postal addresses of customers.');
    await form.getByLabel('Files').setInputFiles(
      file(
        'address.xsd',
        `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:example:address">
  <xs:element name="Address" type="xs:string"/>
</xs:schema>`,
      ),
    );
    await form.getByRole('button', { name: 'Add schema' }).click();

    await page.getByRole('heading', { level: 1, name: 'Customer Address' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`/packages/${ids.customerMaster}/schemas/[\\w-]+$`));
    expect(await countsIn(page.locator('header dl'))).toMatchObject({
      Type: 'XSD',
      'Target namespace': 'urn:example:address',
      'Current version': '1',
    });
    await page.locator('header').getByText('Postal addresses of customers.').waitFor();
    const listed = page.getByRole('list', { name: 'Files' }).getByRole('listitem');
    expect(await listed.allInnerTexts()).toEqual(['address.xsd main']);
  });

  it('adds a schema from a zip whose main file includes another by a relative path', async () => {
    const zip = zipSync({
      'main.xsd': strToU8(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:example:contact" xmlns="urn:example:contact" elementFormDefault="qualified">
  <xs:include schemaLocation="types/common.xsd"/>
  <xs:element name="Contact" type="PhoneNumber"/>
</xs:schema>`),
      'types/common.xsd': strToU8(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:example:contact" elementFormDefault="qualified">
  <xs:simpleType name="PhoneNumber">
    <xs:restriction base="xs:string"/>
  </xs:simpleType>
</xs:schema>`),
    });
    const zipFile = path.join(files, 'contact.zip');
    writeFileSync(zipFile, zip);

    await page.goto(`/packages/${ids.customerMaster}/schemas`);
    await page.getByRole('button', { name: 'Add schema' }).click();
    const form = page.getByRole('form', { name: 'Add a schema' });
    await form.getByLabel('Name').fill('Customer Contact');
    await form.getByLabel('Files').setInputFiles(zipFile);
    await form.getByRole('button', { name: 'Add schema' }).click();

    await page.getByRole('heading', { level: 1, name: 'Customer Contact' }).waitFor();
    expect(await countsIn(page.locator('header dl'))).toMatchObject({
      Type: 'XSD',
      'Target namespace': 'urn:example:contact',
    });
    const listed = page.getByRole('list', { name: 'Files' }).getByRole('listitem');
    expect((await listed.allInnerTexts()).sort()).toEqual(['main.xsd main', 'types/common.xsd']);
    await page.getByRole('region', { name: 'Structure' }).getByText('Contact').waitFor();
  });

  it('lists every problem of a schema that does not compile, with file, line and column', async () => {
    await page.goto(`/packages/${ids.customerMaster}/schemas`);
    await page.getByRole('button', { name: 'Add schema' }).click();
    const form = page.getByRole('form', { name: 'Add a schema' });
    await form.getByLabel('Name').fill('Broken');
    await form.getByLabel('Files').setInputFiles(
      file(
        'broken.xsd',
        `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="Broken" type="xs:string">
</xs:schema>`,
      ),
    );
    await form.getByRole('button', { name: 'Add schema' }).click();

    const alert = form.getByRole('alert');
    await alert.getByText('The schema could not be added.').waitFor();
    const problems = await alert
      .getByRole('list', { name: 'Problems' })
      .getByRole('listitem')
      .allInnerTexts();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^broken\.xsd:\d+(:\d+)? \S/);
    expect(page.url()).toBe(`${baseUrl}/packages/${ids.customerMaster}/schemas`);
  });

  it('uploads a version that removes an element, compares it as breaking and rolls back', async () => {
    await page.goto(`/packages/${ids.customerMaster}/schemas/${ids.customerSchema}`);
    await page.getByRole('button', { name: 'Upload new version' }).click();
    const upload = page.getByRole('region', { name: 'Upload a new version' });
    await upload.getByLabel('Files').setInputFiles(file('v2/customer.xsd', customerXsd(false)));
    await upload.getByLabel('Message (optional)').fill('Drop Email');
    await upload.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Uploaded as version 2.').waitFor();
    expect(await countsIn(page.locator('header dl'))).toMatchObject({ 'Current version': '2' });
    expect(await versionRow(2).getByRole('cell').nth(1).innerText()).toBe('Drop Email');
    expect(await versionRow(2).getByRole('button').count()).toBe(0); // the current version

    await versionRow(1).getByRole('button', { name: 'Compare with current' }).click();
    const compare = page.getByRole('region', { name: 'Version 1 compared with version 2' });
    await compare.getByText('Breaking', { exact: true }).waitFor();
    const changes = await compare
      .getByRole('list', { name: 'Changes' })
      .getByRole('listitem')
      .allInnerTexts();
    expect(
      changes.some((change) => /^breaking element \/Customer\/Email was removed$/.test(change)),
    ).toBe(true);
    const affected = compare
      .getByRole('table', { name: 'Affected assets' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Customer Order' }) });
    expect(await affected.getByRole('cell').allInnerTexts()).toEqual(['Schema', '1 (direct)']);
    expect(await compare.locator('pre').innerText()).toMatch(/^-.*Email/m);

    // Cancel first: nothing happens.
    await versionRow(1).getByRole('button', { name: 'Roll back to this version' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Roll back?' });
    await dialog.getByText('Roll back to version 1? Its content becomes version 3.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await countsIn(page.locator('header dl'))).toMatchObject({ 'Current version': '2' });

    await versionRow(1).getByRole('button', { name: 'Roll back to this version' }).click();
    await dialog.getByRole('button', { name: 'Roll back', exact: true }).click();
    await page.getByText('Rolled back to version 1: its content is now version 3.').waitFor();
    await versionRow(3).waitFor();
    expect(await countsIn(page.locator('header dl'))).toMatchObject({ 'Current version': '3' });
    await page.getByRole('region', { name: /compared with/ }).waitFor({ state: 'detached' });

    await versionRow(1).getByRole('button', { name: 'Compare with current' }).click();
    await page
      .getByRole('region', { name: 'Version 1 compared with version 3' })
      .getByText('The structure did not change.')
      .waitFor();
  });

  it('refuses an upload based on a version someone else changed, and uploads after a reload', async () => {
    if (!t) throw new Error('the API did not start (see beforeAll)');
    const seed = new Seeder(baseUrl, t.admin.token);
    const schema = await seed.createSchema(
      ids.customerMaster,
      'Loyalty Card',
      loyaltyXsd('Number'),
      'loyalty.xsd',
    );
    await page.goto(`/packages/${ids.customerMaster}/schemas/${schema.id}`);
    await page.getByRole('heading', { level: 1, name: 'Loyalty Card' }).waitFor();
    await page.getByRole('button', { name: 'Upload new version' }).click();

    // Someone else saves a new version behind the page's back.
    const { data: changed, error } = await apiAs(baseUrl, t.admin.token).PUT(
      '/api/packages/{id}/schemas/{schemaId}',
      {
        params: { path: { id: ids.customerMaster, schemaId: schema.id } },
        body: { version: schema.version, document: loyaltyXsd('Points'), fileName: 'loyalty.xsd' },
      },
    );
    expect(error).toBeUndefined();
    expect(changed?.currentVersion).toBe(2);

    const upload = page.getByRole('region', { name: 'Upload a new version' });
    await upload.getByLabel('Files').setInputFiles(file('stale/loyalty.xsd', loyaltyXsd('Tier')));
    await upload.getByRole('button', { name: 'Upload', exact: true }).click();
    const alert = upload.getByRole('alert');
    await alert.getByText('The new version could not be uploaded.').waitFor();
    await alert.getByText(/reload and apply your change again/).waitFor();
    await alert.getByRole('button', { name: 'Reload' }).click();

    await page.locator('header dl').getByRole('definition').filter({ hasText: /^2$/ }).waitFor();
    const reloaded = page.getByRole('region', { name: 'Upload a new version' });
    await reloaded.getByLabel('Files').setInputFiles(file('stale/loyalty.xsd', loyaltyXsd('Tier')));
    await reloaded.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Uploaded as version 3.').waitFor();
    expect(await countsIn(page.locator('header dl'))).toMatchObject({ 'Current version': '3' });
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('hides the write actions from a VIEWER member', async () => {
    if (!browser) throw new Error('Chromium did not start (see beforeAll)');
    const viewing = await openPage(browser, baseUrl);
    try {
      const { page } = viewing;
      await signIn(page, viewer);
      await page.goto(`/packages/${ids.customerMaster}/schemas`);
      const schemas = page.getByRole('region', { name: 'Schemas' });
      await schemas.getByRole('link', { name: 'Customer', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Customer' }).waitFor();
      // The history has loaded (older versions from the test above offer their read action).
      await page
        .getByRole('region', { name: 'Version history' })
        .getByRole('button', { name: 'Compare with current' })
        .first()
        .waitFor();
      expect(await page.getByRole('button', { name: 'Upload new version' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Roll back to this version' }).count()).toBe(0);

      await page.goto(`/packages/${ids.customerMaster}/schemas`);
      await page.getByRole('heading', { level: 1, name: 'Customer Master' }).waitFor();
      await page
        .getByRole('region', { name: 'Schemas' })
        .getByRole('link', { name: 'Customer', exact: true })
        .waitFor();
      expect(await page.getByRole('button', { name: 'Add schema' }).count()).toBe(0);
    } finally {
      await viewing.context.close();
    }
    expect(viewing.problems).toEqual([]);
  });

  it('breaks no WCAG 2.1 A/AA rule on the packages, a package tab and a schema page (axe-core)', async () => {
    await page.goto('/packages');
    await packageItem('Order to Cash').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`/packages/${ids.orderToCash}`);
    await page
      .getByRole('region', { name: 'Last modified' })
      .getByRole('rowheader')
      .first()
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`/packages/${ids.orderToCash}/schemas`);
    await page.getByRole('region', { name: 'Schemas' }).getByRole('link').first().waitFor();
    await page.getByRole('button', { name: 'Add schema' }).click();
    await page.getByRole('form', { name: 'Add a schema' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`/packages/${ids.orderToCash}/schemas/${ids.invoiceSchema}`);
    await page.getByRole('region', { name: 'Structure' }).getByRole('button').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('still answers /api routes with JSON, never with the console page', async () => {
    const list = await page.request.get('/api/packages?limit=1', {
      headers: { authorization: `Bearer ${developer.token}` },
    });
    expect(list.headers()['content-type']).toMatch(/^application\/json/);
    const body = (await list.json()) as PackagePageDto;
    expect(body.total).toBe(51);
    expect(body.items).toHaveLength(1);

    const anonymous = await page.goto('/api/packages?limit=1'); // no token: a problem, not the page
    expect(anonymous?.status()).toBe(401);
    expect(anonymous?.headers()['content-type']).toContain('application/problem+json');

    const missing = await page.request.get('/api/no-such-route');
    expect(missing.status()).toBe(404);
    expect(missing.headers()['content-type']).toContain('application/problem+json');
  });
});
