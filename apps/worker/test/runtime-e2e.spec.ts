/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  makeCertificates,
  startDovecot,
  startSftpServer,
  startSoapServer,
  tempDir,
  type TestImapServer,
  type TestSftpServer,
  type TestSoapServer,
} from '@integrixs/adapters/testing';
import { type ExecutionDetailDto } from '@integrixs/api-client';

import { INVOICE_SUMMARY_EXPECTED } from '../../api/src/demo/invoice-summary';
import { bearer, createApiToken, createPackage } from '../../api/test/support/access-fixtures';
import {
  createMapping,
  invoiceMappingBody,
  summarySchemaBody,
  UBL_INVOICE_EXAMPLE,
} from '../../api/test/support/mappings';
import { sendInbound } from '../../api/test/support/runtime';
import {
  corpusText,
  createSchema,
  schemaDocument,
  ublUpload,
} from '../../api/test/support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from '../../api/test/support/test-app';
import {
  deployFlow,
  deploymentMessages,
  httpTarget,
  readyAdapter,
  sourceNode,
  startReceiver,
  startWorker,
  stepsOf,
  target,
  waitFor,
  waitForAccepted,
  type RuntimeWorker,
} from './support/runtime-kit';

type Tmp = Awaited<ReturnType<typeof tempDir>>;

/**
 * End to end through deployed flows with real servers on 127.0.0.1 (issue 13): one worker with
 * its poll triggers on runs every flow, as a deployed worker does. IMAP mailbox → FILE folder;
 * inbound HTTP → map → SOAP call; SFTP folder → validate UBL Invoice → map → HTTP target.
 */
describe('runtime end to end with real servers', () => {
  let t: TestApp;
  let worker: RuntimeWorker;

  beforeAll(async () => {
    t = await startTestApp();
    // Compiling the UBL schema set cold on a loaded machine may take long: not a step timeout here.
    worker = await startWorker(t, { stepTimeoutMs: 120_000 }, { workerId: 'e2e', tickMs: 200 });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  describe('IMAP → FILE', () => {
    const password = 'e2e-imap-Pw-51a3';
    let imap: TestImapServer;
    let outbox: Tmp;
    let deploymentId: string;
    const mail = (subject: string) =>
      `From: partner@partner.test\r\nTo: orders@integrixs.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@partner.test>\r\nDate: Sun, 29 Nov 2026 06:00:00 +0000\r\n\r\nbody of ${subject}\r\n`;

    beforeAll(async () => {
      const certs = makeCertificates();
      imap = await startDovecot({ users: [{ name: 'orders', password }], certs });
      outbox = await tempDir('e2e-outbox');
      const packageId = await createPackage(t, 'E2E mail to folder');
      const mailbox = await readyAdapter(t, packageId, {
        name: 'Order mailbox',
        adapterType: 'EMAIL',
        direction: 'SOURCE',
        configuration: {
          imap: {
            host: '127.0.0.1',
            port: imap.port,
            tls: 'starttls',
            caCertificate: certs.ca,
            username: 'orders',
            password,
            mailbox: 'INBOX',
            afterRead: { action: 'mark-seen' },
          },
        },
      });
      const folder = await readyAdapter(t, packageId, {
        name: 'Order archive folder',
        adapterType: 'FILE',
        direction: 'TARGET',
        configuration: { folder: outbox.path },
      });
      ({ deploymentId } = await deployFlow(
        t,
        { packageId },
        'Mail to folder',
        [sourceNode(mailbox, { type: 'poll', intervalSeconds: 1 }), target('out', folder)],
        [{ from: 'in', to: 'out' }],
      ));
    }, 330_000); // a fresh machine installs Dovecot first (libs/adapters/src/testing/dovecot.ts)
    afterAll(async () => {
      await imap?.close();
      await outbox?.remove();
    });

    it('writes each mail the running worker polls as one file named after its message, and never takes a mail twice', async () => {
      await imap.deliver('orders', mail('order-1'));
      await imap.deliver('orders', mail('order-2'));
      const firstTwo = await waitForAccepted(t, deploymentId, 2);
      await waitFor(
        t,
        firstTwo.map((m) => m.id),
        ['SUCCEEDED'],
      );
      // A later poll finds the third mail and none of the first two again.
      await imap.deliver('orders', mail('order-3'));
      const messages = await waitForAccepted(t, deploymentId, 3);
      const ids = messages.map((m) => m.id);
      await waitFor(t, ids, ['SUCCEEDED']);

      expect(await deploymentMessages(t, deploymentId)).toHaveLength(3);
      for (const m of messages) {
        expect(m.trigger).toBe('POLL');
        expect(m.idempotency_key).toMatch(new RegExp(`^imap:INBOX:\\d+:${m.source_ref}$`));
      }
      expect((await readdir(outbox.path)).sort()).toEqual(ids.map((id) => `${id}.out.dat`).sort());
      const subjects: string[] = [];
      for (const id of ids) {
        const written = await readFile(join(outbox.path, `${id}.out.dat`), 'utf8');
        const { rows } = await t.db.pool.query<{ content: string }>(
          `SELECT convert_from(p.content, 'UTF8') AS content FROM runtime_messages m
             JOIN runtime_payloads p ON p.id = m.input_payload_id WHERE m.id = $1`,
          [id],
        );
        // The file is the mail as the mailbox holds it, byte for byte.
        expect(written).toBe(rows[0].content);
        const subject = /^Subject: (\S+)/m.exec(written)?.[1] ?? '';
        expect(written).toContain(`body of ${subject}`);
        subjects.push(subject);
      }
      expect(subjects.sort()).toEqual(['order-1', 'order-2', 'order-3']);
      const steps = await stepsOf(t, ids[0]);
      expect(steps.map((s) => [s.node_id, s.kind, s.status])).toEqual([
        ['out', 'target', 'SUCCEEDED'],
      ]);
      expect(steps[0].detail).toMatchObject({ adapterType: 'FILE', file: `${ids[0]}.out.dat` });
    }, 90_000);
  });

  describe('inbound HTTP → map → SOAP call', () => {
    let soap: TestSoapServer;
    let inbox: Tmp;
    let packageId: string;
    let flowId: string;
    let sender: TestUser;
    const calls: { firstName: string }[] = [];

    beforeAll(async () => {
      soap = await startSoapServer({
        wsdl: 'hello.wsdl',
        path: '/SayHello/',
        services: {
          Hello_Service: {
            Hello_Port: {
              sayHello: (args: { firstName: string }) => {
                calls.push({ ...args });
                return { greeting: `Hello ${args.firstName}` };
              },
            },
          },
        },
      });
      inbox = await tempDir('e2e-inbound');
      packageId = await createPackage(t, 'E2E inbound to SOAP');
      const jsonSchema = async (name: string, schema: object) =>
        (
          await createSchema(
            t,
            packageId,
            schemaDocument(name, JSON.stringify(schema), 'JSON_SCHEMA'),
          )
        ).id;
      const order = await jsonSchema('Order', {
        type: 'object',
        required: ['customer'],
        properties: {
          customer: {
            type: 'object',
            required: ['name', 'surname'],
            properties: { name: { type: 'string' }, surname: { type: 'string' } },
          },
        },
      });
      const hello = await jsonSchema('Hello request', {
        type: 'object',
        required: ['firstName'],
        properties: { firstName: { type: 'string' } },
      });
      const wsdl = await createSchema(
        t,
        packageId,
        schemaDocument('Hello WSDL', corpusText('wsdl/hello.wsdl'), 'WSDL'),
      );
      const mapping = await createMapping(t, packageId, {
        name: 'Order to hello',
        kind: 'JSONATA',
        sourceSchema: { assetId: order },
        targetSchema: { assetId: hello },
        rules: [{ target: '/firstName', expression: "customer.name & ' ' & customer.surname" }],
      });
      // Inbound HTTP needs no connection of its own: the source adapter names the payload.
      const entry = await readyAdapter(t, packageId, {
        name: 'Orders (inbound)',
        adapterType: 'FILE',
        direction: 'SOURCE',
        configuration: { folder: inbox.path },
        schemas: { message: order },
      });
      const service = await readyAdapter(t, packageId, {
        name: 'Hello service',
        adapterType: 'SOAP',
        direction: 'TARGET',
        configuration: {
          wsdlAssetId: wsdl.id,
          service: 'Hello_Service',
          port: 'Hello_Port',
          operation: 'sayHello',
          endpointOverride: soap.url,
        },
      });
      ({ flowId } = await deployFlow(
        t,
        { packageId },
        'Orders to hello service',
        [
          sourceNode(entry, { type: 'http' }),
          {
            id: 'check',
            kind: 'validate',
            position: { x: 1, y: 0 },
            schema: { assetId: order },
          },
          { id: 'map', kind: 'map', position: { x: 2, y: 0 }, mapping: { assetId: mapping.id } },
          target('call', service),
        ],
        [
          { from: 'in', to: 'check' },
          { from: 'check', to: 'map' },
          { from: 'map', to: 'call' },
        ],
      ));
      const partner = await t.createUser({
        role: 'DEVELOPER',
        packages: { [packageId]: 'DEVELOPER' },
      });
      const token = await createApiToken(t, partner, {
        name: 'Order sender',
        permissions: ['runtime:send'],
        packageIds: [packageId],
      });
      sender = bearer(partner, token.token);
    }, 60_000);
    afterAll(async () => {
      await soap?.close();
      await inbox?.remove();
    });

    const send = (name: string, surname: string, idempotencyKey: string) =>
      sendInbound(t, flowId, 'DEV', JSON.stringify({ customer: { name, surname } }), {
        contentType: 'application/json',
        idempotencyKey,
        as: sender,
      });

    it('calls the SOAP operation once with the mapped message, also when the sender retries with its Idempotency-Key', async () => {
      const first = await send('Ada', 'Lovelace', 'order-ada');
      expect(first.statusCode).toBe(202);
      const { messageId } = json<{ messageId: string }>(first);
      // The sender did not see the answer and sends again: the same message, nothing new.
      const retried = await send('Ada', 'Lovelace', 'order-ada');
      expect(retried.statusCode).toBe(200);
      expect(json(retried)).toMatchObject({ messageId, duplicate: true });
      await waitFor(t, [messageId]);
      // A later message runs after the retry would have: still one call for the first.
      const second = await send('Grace', 'Hopper', 'order-grace');
      expect(second.statusCode).toBe(202);
      await waitFor(t, [json<{ messageId: string }>(second).messageId]);
      expect(calls).toEqual([{ firstName: 'Ada Lovelace' }, { firstName: 'Grace Hopper' }]);

      const execution = await t.request({
        method: 'GET',
        url: `/api/packages/${packageId}/executions/${messageId}`,
      });
      expect(execution.statusCode).toBe(200);
      const view = json<ExecutionDetailDto>(execution);
      expect(view).toMatchObject({
        status: 'SUCCEEDED',
        trigger: 'HTTP',
        idempotencyKey: 'order-ada',
        attempts: 1,
      });
      expect(view.steps.map((s) => [s.nodeId, s.kind, s.status])).toEqual([
        ['check', 'validate', 'SUCCEEDED'],
        ['map', 'map', 'SUCCEEDED'],
        ['call', 'target', 'SUCCEEDED'],
      ]);
      expect(JSON.parse(view.steps[1].snapshot ?? '')).toEqual({ firstName: 'Ada Lovelace' });
      expect(view.steps[2].detail).toMatchObject({ adapterType: 'SOAP', operation: 'sayHello' });
      expect(JSON.parse(view.steps[2].snapshot ?? '')).toEqual({ greeting: 'Hello Ada Lovelace' });
    }, 60_000);
  });

  describe('SFTP → validate UBL Invoice → map → HTTP', () => {
    const password = 'e2e-sftp-Pw-7c2e';
    let root: Tmp;
    let sftp: TestSftpServer;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let deploymentId: string;

    beforeAll(async () => {
      root = await tempDir('e2e-sftp');
      await mkdir(join(root.path, 'inbox'));
      await mkdir(join(root.path, 'done'));
      sftp = await startSftpServer({ root: root.path, username: 'partner', password });
      receiver = await startReceiver();
      const packageId = await createPackage(t, 'E2E SFTP invoices');
      const invoice = await createSchema(t, packageId, ublUpload('Invoice'));
      const summary = await createSchema(t, packageId, summarySchemaBody());
      const mapping = await createMapping(
        t,
        packageId,
        invoiceMappingBody('UBL Invoice to summary', invoice.id, summary.id),
      );
      const inbox = await readyAdapter(t, packageId, {
        name: 'Partner SFTP inbox',
        adapterType: 'SFTP',
        direction: 'SOURCE',
        configuration: {
          host: '127.0.0.1',
          port: sftp.port,
          username: 'partner',
          password,
          hostKeyFingerprint: sftp.fingerprint,
          remoteFolder: '/inbox',
          filePattern: '*.xml',
          afterRead: { action: 'move', targetFolder: '/done' },
        },
      });
      const out = await httpTarget(
        t,
        { packageId, outSchema: summary.id },
        'Summary receiver',
        `${receiver.url}/invoices`,
      );
      ({ deploymentId } = await deployFlow(
        t,
        { packageId },
        'SFTP invoices to summary receiver',
        [
          sourceNode(inbox, { type: 'poll', intervalSeconds: 1 }),
          {
            id: 'validate',
            kind: 'validate',
            position: { x: 1, y: 0 },
            schema: { assetId: invoice.id, root: 'Invoice' },
          },
          {
            id: 'summarise',
            kind: 'map',
            position: { x: 2, y: 0 },
            mapping: { assetId: mapping.id },
          },
          target('deliver', out),
        ],
        [
          { from: 'in', to: 'validate' },
          { from: 'validate', to: 'summarise' },
          { from: 'summarise', to: 'deliver' },
        ],
      ));
    }, 120_000);
    afterAll(async () => {
      await receiver?.close();
      await sftp?.close();
      await root?.remove();
    });

    it('delivers the summary of a valid invoice once and dead-letters an Order at validate', async () => {
      const inbox = join(root.path, 'inbox');
      await writeFile(join(inbox, 'invoice-0042.xml'), UBL_INVOICE_EXAMPLE());
      await writeFile(
        join(inbox, 'order-7.xml'),
        corpusText('xsd/ubl-2.1/examples/UBL-Order-2.1-Example.xml'),
      );
      const messages = await waitForAccepted(t, deploymentId, 2);
      expect(messages.map((m) => m.source_ref)).toEqual(['invoice-0042.xml', 'order-7.xml']);
      const [invoice, order] = messages;
      await waitFor(t, [invoice.id], ['SUCCEEDED'], 90_000);
      const [rejected] = await waitFor(t, [order.id], ['DEAD_LETTERED'], 90_000);

      expect(rejected.error).toMatchObject({ nodeId: 'validate', code: 'invalid' });
      expect(receiver.received).toHaveLength(1);
      const [request] = receiver.received;
      expect(request).toMatchObject({
        method: 'POST',
        url: '/invoices',
        idempotencyKey: `${invoice.id}:deliver`,
        contentType: 'application/json',
      });
      expect(JSON.parse(request.body)).toEqual(INVOICE_SUMMARY_EXPECTED);
      expect((await stepsOf(t, invoice.id)).map((s) => [s.node_id, s.kind, s.status])).toEqual([
        ['validate', 'validate', 'SUCCEEDED'],
        ['summarise', 'map', 'SUCCEEDED'],
        ['deliver', 'target', 'SUCCEEDED'],
      ]);
      expect((await stepsOf(t, order.id)).map((s) => [s.node_id, s.status])).toEqual([
        ['validate', 'FAILED'],
      ]);
      // Both files were claimed, read and moved by the poll: none is left to take again.
      expect(await readdir(inbox)).toEqual([]);
      expect((await readdir(join(root.path, 'done'))).sort()).toEqual([
        'invoice-0042.xml',
        'order-7.xml',
      ]);
      expect(await deploymentMessages(t, deploymentId)).toHaveLength(2);
    }, 150_000);
  });
});
