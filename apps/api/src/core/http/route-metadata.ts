import { type ExecutionContext, type Type } from '@nestjs/common';

/**
 * Route metadata read once per controller class and handler: decorators never change after
 * start-up, and the global guards otherwise ask the Reflector several times on every request.
 * Keyed by class and handler both, since a handler inherited by two controllers may carry
 * different class-level metadata in each.
 */
export class RouteMetadataCache<T> {
  private readonly byClass = new WeakMap<Type, WeakMap<object, T>>();

  constructor(private readonly read: (targets: [handler: Type, controller: Type]) => T) {}

  get(context: ExecutionContext): T {
    // A handler is a function; Type is how the Reflector takes its targets.
    const handler = context.getHandler() as Type;
    const controller = context.getClass();
    let handlers = this.byClass.get(controller);
    if (handlers === undefined) {
      handlers = new WeakMap();
      this.byClass.set(controller, handlers);
    }
    if (handlers.has(handler)) return handlers.get(handler) as T;
    const value = this.read([handler, controller]);
    handlers.set(handler, value);
    return value;
  }
}
