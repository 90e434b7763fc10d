import { type MessageStatus, type MessageTrigger, type StepStatus } from './runtime-types';

/** What every runtime event names: which flow, deployment and environment it happened in. */
export interface RuntimeScope {
  packageId: string;
  flowId: string;
  deploymentId: string;
  environmentId: string;
  /** The environment's name (DEV, TEST, PROD …), for metric labels. */
  environment: string;
}

export interface MessageEvent extends RuntimeScope {
  messageId: string;
  trigger: MessageTrigger;
  attempt: number;
}

export interface StepEvent extends MessageEvent {
  nodeId: string;
  kind: string;
  status: StepStatus;
  startedAt: Date;
  durationMs: number;
  error?: { code: string; message: string };
}

export interface MessageFinishedEvent extends MessageEvent {
  /** SUCCEEDED, RETRYING (another attempt is scheduled) or DEAD_LETTERED. */
  status: MessageStatus;
  startedAt: Date;
  durationMs: number;
  /** Time from acceptance to this attempt's start. */
  waitedMs: number;
  error?: { nodeId: string; code: string; message: string };
}

/** A message that ended without an attempt: its flow was undeployed before it ran. */
export interface MessageCancelledEvent {
  packageId: string;
  flowId: string;
  deploymentId: string;
  environmentId: string;
  messageId: string;
}

/**
 * Hooks the engine calls as messages run, for metrics, traces and health checks. Every method
 * is optional and must not throw (an observer failure never fails a message) nor block: the
 * engine does not await them.
 */
export interface RuntimeObserver {
  messageAccepted?(event: MessageEvent): void;
  messageStarted?(event: MessageEvent & { startedAt: Date }): void;
  stepFinished?(event: StepEvent): void;
  messageFinished?(event: MessageFinishedEvent): void;
  messageCancelled?(event: MessageCancelledEvent): void;
  /** The flow's rate limit held a message back (not an attempt): it starts again at `until`. */
  messageThrottled?(event: MessageEvent & { until: Date }): void;
}

/** Calls every observer, each guarded so one failing observer never affects the others. */
export function combineObservers(observers: readonly RuntimeObserver[]): Required<RuntimeObserver> {
  const call =
    <K extends keyof RuntimeObserver>(name: K) =>
    (event: Parameters<NonNullable<RuntimeObserver[K]>>[0]) => {
      for (const observer of observers) {
        try {
          (observer[name] as ((e: typeof event) => void) | undefined)?.call(observer, event);
        } catch {
          // An observer's failure is its own; the message goes on.
        }
      }
    };
  return {
    messageAccepted: call('messageAccepted'),
    messageStarted: call('messageStarted'),
    stepFinished: call('stepFinished'),
    messageFinished: call('messageFinished'),
    messageCancelled: call('messageCancelled'),
    messageThrottled: call('messageThrottled'),
  };
}
