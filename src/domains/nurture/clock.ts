// The clock the nurture engine reads: the system clock in production, a simulated one in tests and the
// dry run (waits of days pass in milliseconds; nothing else in the engine calls Date.now()).
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class SimClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): Date {
    this.t += ms;
    return this.now();
  }
  advanceDays(days: number): Date {
    return this.advance(days * 86_400_000);
  }
  set(to: Date | string): void {
    this.t = new Date(to).getTime();
  }
}
