// Test data for the analytics tests, written straight into the tables (times chosen by the test).
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../../test/app.ts';

export const DAY = 86_400_000;

export class Fixture {
  private sourceId: number | null = null;
  private t: TestApp;
  constructor(t: TestApp) {
    this.t = t;
  }

  private q(text: string, params: unknown[] = []) {
    return this.t.database.pool.query(text, params);
  }

  async source(): Promise<number> {
    if (this.sourceId) return this.sourceId;
    const { rows } = await this.q(`insert into sources (name, write_key_hash, write_key_prefix) values ($1, $2, 'rlw_x') returning id`, [`fx-${randomUUID()}`, randomUUID()]);
    return (this.sourceId = rows[0].id as number);
  }

  async contact(props: { ownerId?: number; product?: string; createdAt?: Date } = {}): Promise<number> {
    const { rows } = await this.q(`insert into contacts (email, owner_id, properties, created_at) values ($1, $2, $3, $4) returning id`, [
      `fx-${randomUUID()}@example.test`,
      props.ownerId ?? null,
      JSON.stringify(props.product ? { product: props.product } : {}),
      props.createdAt ?? new Date(),
    ]);
    return Number(rows[0].id);
  }

  async campaign(code: string, channel = 'other'): Promise<number> {
    const { rows } = await this.q(`insert into campaigns (name, utm_campaign, channel) values ($1, $2, $3) returning id`, [`Campaign ${code}`, code.toLowerCase(), channel]);
    return Number(rows[0].id);
  }

  /** A tracked event with a UTM campaign (a touch), or any event when utm is null. */
  async event(contactId: number | null, at: Date, utm: string | null, opts: { anonymousId?: string; event?: string; type?: string; medium?: string; isBot?: boolean; receivedAt?: Date } = {}): Promise<number> {
    const { rows } = await this.q(
      `insert into events (source_id, message_id, type, event, contact_id, anonymous_id, timestamp, received_at, utm_campaign, utm_medium, is_bot)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
      [await this.source(), randomUUID(), opts.type ?? 'page', opts.event ?? null, contactId, opts.anonymousId ?? null, at, opts.receivedAt ?? at, utm, opts.medium ?? null, opts.isBot ?? false],
    );
    return Number(rows[0].id);
  }

  async deal(amount: number, stage: 'intent' | 'job_to_be_done' | 'won' | 'lost', contacts: number[], at: { createdAt: Date; wonAt?: Date }): Promise<number> {
    const { rows } = await this.q(`insert into deals (name, amount, stage, created_at, won_at) values ($1, $2, $3, $4, $5) returning id`, [
      `Deal ${randomUUID().slice(0, 6)}`,
      amount,
      stage,
      at.createdAt,
      stage === 'won' ? (at.wonAt ?? at.createdAt) : null,
    ]);
    const id = Number(rows[0].id);
    for (const c of contacts) await this.q(`insert into deal_contacts (deal_id, contact_id) values ($1, $2)`, [id, c]);
    return id;
  }

  async transition(contactId: number, from: string | null, to: string, at: Date): Promise<void> {
    await this.q(
      `insert into lifecycle_transitions (contact_id, from_stage, to_stage, cause, actor_type, actor_label, occurred_at) values ($1, $2, $3, 'rule', 'system', 'system', $4)`,
      [contactId, from, to, at],
    );
  }

  async cost(month: string, category: string, actual: number, campaignId: number | null = null): Promise<void> {
    await this.q(`insert into cost_lines (campaign_id, month, category, planned, actual) values ($1, $2, $3, $4, $4)`, [campaignId, month, category, actual]);
  }
}
