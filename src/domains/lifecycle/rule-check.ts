// Checks the parts of a qualification rule the contract cannot: required properties must be contact fields
// or defined custom contact properties; score models must exist and be of the right kind.
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';
import { REQUIRED_FIELD_NAMES } from '../../contracts/lifecycle.ts';
import { propertyDefinitions } from '../contacts/schema.ts';
import { scoreModels } from '../scoring/schema.ts';

export async function checkRuleProperties(db: Queryable, field: string, keys: string[]): Promise<void> {
  const custom = keys.filter((k) => !(REQUIRED_FIELD_NAMES as readonly string[]).includes(k));
  if (!custom.length) return;
  const defined = new Set(
    (await db.select({ key: propertyDefinitions.key }).from(propertyDefinitions).where(eq(propertyDefinitions.objectType, 'contact'))).map((r) => r.key),
  );
  const i = keys.findIndex((k) => custom.includes(k) && !defined.has(k));
  if (i >= 0) {
    const message = `"${keys[i]}" is neither a contact field (${REQUIRED_FIELD_NAMES.join(', ')}) nor a defined contact property`;
    throw new ValidationError(`${field}.${i}: ${message}`, [{ field: `${field}.${i}`, message }]);
  }
}

export async function checkModel(db: Queryable, field: string, id: number | null, kind: 'fit' | 'engagement'): Promise<void> {
  if (id === null) return;
  const [m] = await db.select({ id: scoreModels.id }).from(scoreModels).where(and(eq(scoreModels.id, id), eq(scoreModels.kind, kind)));
  if (!m) throw new ValidationError(`${field}: there is no ${kind} model ${id}`, [{ field, message: `there is no ${kind} model ${id}` }]);
}
