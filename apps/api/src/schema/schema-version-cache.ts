import { Injectable } from '@nestjs/common';

import { DatabaseNotifications } from '../core/database/database-notifications';

export const SCHEMA_CHANNEL = 'integrixs_schemas';
const MAX_ENTRIES = 10_000;

/**
 * Which version of a schema is current and what it imports (with their versions): read once per
 * schema instead of once per validation. Every instance drops it all when a database trigger
 * says a schema's version, liveness or imports changed (LISTEN integrixs_schemas), and this
 * instance also right after its own schema writes commit. Nothing is cached while the listener
 * is down, and a value read before an invalidation is never stored after it.
 */
@Injectable()
export class SchemaVersionCache {
  private readonly entries = new Map<string, unknown>();
  private generation = 0;

  constructor(private readonly notifications: DatabaseNotifications) {
    notifications.subscribe(SCHEMA_CHANNEL, {
      message: () => this.clear(),
      reset: () => this.clear(),
    });
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const generation = this.generation;
    const value = await load();
    if (this.notifications.listening && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
