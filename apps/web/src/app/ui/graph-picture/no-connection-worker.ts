import { Directive, inject } from '@angular/core';
import { ConnectionWorkerState } from '@foblex/flow';

/**
 * On an `<f-flow>`: Foblex computes connection paths on the main thread instead of in a worker
 * it would start from a `blob:` URL, which the console's Content-Security-Policy (`script-src
 * 'self'`, no `worker-src`) refuses. The pictures are small; the worker buys nothing here.
 */
@Directive({ selector: 'f-flow[ixNoConnectionWorker]' })
export class NoConnectionWorker {
  constructor() {
    // The flow component provides this state; a directive on its element sees it first.
    inject(ConnectionWorkerState).isDisabled = true;
  }
}
