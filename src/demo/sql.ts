// Bulk inserts for the demo: one INSERT … SELECT FROM unnest(arrays) per chunk (one round trip per chunk).
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';

/** An array bound as one parameter (drizzle would otherwise expand it into a list). */
export const arr = (values: unknown[], type: string): SQL => sql`${sql.param(values)}::${sql.raw(type)}[]`;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
  const res = await tx.execute(query);
  return res.rows as T[];
}
