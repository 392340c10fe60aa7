// Which live alerts become notifications: each rule (and route) at most once per run, and at
// most one notification per `minGapMs` overall; what is held back is counted and said in the
// next one, and all of it is in the findings after the run. Pure, so it is unit-tested.

export interface AlertEventLike {
  [k: string]: unknown;
  state?: unknown;
  rule?: unknown;
  route?: unknown;
  message?: unknown;
}

export class AlertThrottle {
  private readonly shown = new Set<string>();
  private lastAt = -Infinity;
  private held = 0;

  constructor(private readonly minGapMs = 10_000) {}

  /** The notification text for this event, or undefined when it is held back. */
  offer(runKey: string, e: AlertEventLike, now: number): string | undefined {
    if (e.state !== 'firing' || typeof e.message !== 'string') return undefined;
    const key = `${runKey}\u0000${String(e.rule)}\u0000${String(e.route ?? '')}`;
    if (this.shown.has(key)) return undefined;
    if (now - this.lastAt < this.minGapMs) {
      this.held++;
      return undefined;
    }
    this.shown.add(key);
    this.lastAt = now;
    const more = this.held ? ` (+${this.held} more alert${this.held === 1 ? '' : 's'}; all are listed after the run)` : '';
    this.held = 0;
    return `${e.message}${more}`;
  }

  /** A new run of this suite: its rules may notify again. */
  reset(runKey: string): void {
    for (const k of [...this.shown]) if (k.startsWith(`${runKey}\u0000`)) this.shown.delete(k);
  }
}
