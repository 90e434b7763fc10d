import { type AuditAction } from '../core/audit/audit-log.entity';

/**
 * Events anyone can cause at request rate without valid credentials: these are rate-limited.
 * Failed sign-ins and MFA codes are not: the sign-in throttle already bounds them (and each one
 * matters to an investigation), while these two have no other bound.
 */
export const LIMITED_SECURITY_EVENTS: ReadonlySet<AuditAction> = new Set<AuditAction>([
  'ACCESS_DENIED',
  'LOGIN_THROTTLED',
]);

export interface LimiterPolicy {
  windowMs: number;
  /** Rows per window for one action from one source (client IP, else user). */
  perSource: number;
  /** Rows per window for one action from all sources together (many IPs at once). */
  perAction: number;
  /** Sources tracked at once; beyond, new sources share one bucket. */
  maxSources: number;
}

export const DEFAULT_LIMITER_POLICY: LimiterPolicy = {
  windowMs: 60_000,
  perSource: 10,
  perAction: 300,
  maxSources: 10_000,
};

/** What was left out of the audit log in one window (written as one summary row). */
export interface Suppressed {
  action: AuditAction;
  source: string;
  count: number;
  from: Date;
  to: Date;
}

interface Window {
  action: AuditAction;
  source: string;
  startedAt: number;
  written: number;
  suppressed: number;
}

const OVERFLOW_SOURCE = '(other sources)';

/**
 * Fixed-window counters, per instance: the first `perSource` events of an action from one
 * source in a window are written, the rest are counted and summarised when the window ends, so
 * a flood of garbage tokens costs a few rows a minute instead of one per request, and the log
 * still says how many there were.
 */
export class SecurityEventLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly policy: LimiterPolicy = DEFAULT_LIMITER_POLICY) {}

  /** Whether to write this event now (false: it was counted for the summary). */
  admit(action: AuditAction, source: string, now = Date.now()): boolean {
    const all = this.window(action, '*', now);
    const own = this.window(action, this.sourceKey(action, source), now);
    if (own.written >= this.policy.perSource || all.written >= this.policy.perAction) {
      own.suppressed++;
      return false;
    }
    own.written++;
    all.written++;
    return true;
  }

  /** Ended windows that suppressed something (all of them when `everything`), forgotten after. */
  drain(now = Date.now(), everything = false): Suppressed[] {
    const out: Suppressed[] = [];
    for (const [key, w] of this.windows) {
      if (!everything && now - w.startedAt < this.policy.windowMs) continue;
      this.windows.delete(key);
      if (w.suppressed > 0 && w.source !== '*') {
        out.push({
          action: w.action,
          source: w.source,
          count: w.suppressed,
          from: new Date(w.startedAt),
          to: new Date(Math.min(now, w.startedAt + this.policy.windowMs)),
        });
      }
    }
    return out;
  }

  private sourceKey(action: AuditAction, source: string): string {
    const known = this.windows.has(`${action}|${source}`);
    return known || this.windows.size < this.policy.maxSources ? source : OVERFLOW_SOURCE;
  }

  private window(action: AuditAction, source: string, now: number): Window {
    const key = `${action}|${source}`;
    let w = this.windows.get(key);
    if (!w || now - w.startedAt >= this.policy.windowMs) {
      // A window that ended with suppressed events is kept for drain() under a retired key.
      if (w && w.suppressed > 0) this.windows.set(`${key}|${w.startedAt}`, w);
      w = { action, source, startedAt: now, written: 0, suppressed: 0 };
      this.windows.set(key, w);
    }
    return w;
  }
}
