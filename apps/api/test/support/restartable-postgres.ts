import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Client } from 'pg';

/** A private PostgreSQL server a test can stop and start (e.g. to prove the API survives an outage). */
export class RestartablePostgres {
  private child: ChildProcess | undefined;
  private readonly dataDir = mkdtempSync(path.join(tmpdir(), 'integrixs-restart-'));

  constructor(readonly port: number) {
    chmodSync(this.dataDir, 0o755);
  }

  url(database = 'postgres'): string {
    return `postgres://postgres:test@localhost:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [path.join(__dirname, 'postgres-process.mjs'), this.dataDir, String(this.port)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`PostgreSQL process exited (${code}): ${stderr}`)),
      );
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    this.child = undefined;
  }

  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
