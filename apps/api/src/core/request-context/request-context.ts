import { AsyncLocalStorage } from 'node:async_hooks';

/** What the rest of a request's work needs to know about who asked and which request it is. */
export interface RequestContext {
  readonly requestId: string;
  /** The acting principal's user id once authenticated, "anonymous" before, "system" outside requests. */
  actor: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const SYSTEM_ACTOR = 'system';
export const ANONYMOUS_ACTOR = 'anonymous';

export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The actor to record in audit columns; background work without a request acts as "system". */
export function currentActor(): string {
  return storage.getStore()?.actor ?? SYSTEM_ACTOR;
}

/** Called once the request is authenticated: later writes are attributed to this user. */
export function setActor(actor: string): void {
  const context = storage.getStore();
  if (context) context.actor = actor;
}
