// Custom property definitions (Settings → Properties): list, create, change, delete; and loading them
// to validate contact/account writes and list filters.
import { and, asc, eq, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import {
  PropertyDefinitionInput,
  PropertyDefinitionPatch,
  PropertyListQuery,
  type PropertyDefinition as PropertyDefinitionDto,
} from '../../contracts/contacts.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { validateProperties, type PropertyValue } from './properties.ts';
import { accounts, contacts, propertyDefinitions, type PropertyDefinition, type PropertyObject } from './schema.ts';

export function toPropertyDefinitionDto(p: PropertyDefinition): PropertyDefinitionDto {
  return {
    id: p.id,
    objectType: p.objectType,
    key: p.key,
    label: p.label,
    type: p.type,
    options: p.options ?? null,
    description: p.description ?? null,
    createdAt: p.createdAt.toISOString(),
  };
}

/** The definitions of one object type, by key, in display order (label). */
export async function loadPropertyDefinitions(db: Queryable, objectType: PropertyObject): Promise<Map<string, PropertyDefinition>> {
  const rows = await db
    .select()
    .from(propertyDefinitions)
    .where(eq(propertyDefinitions.objectType, objectType))
    .orderBy(asc(propertyDefinitions.label), asc(propertyDefinitions.id));
  return new Map(rows.map((r) => [r.key, r]));
}

/**
 * Validates API property values against the definitions; throws a 400 listing every bad key as
 * details [{ field: 'properties.<key>', message }]. Returns what to set and what to remove.
 */
export function checkPropertyValues(
  defs: ReadonlyMap<string, PropertyDefinition>,
  values: Record<string, unknown>,
): { set: Record<string, PropertyValue>; unset: string[] } {
  const { set, unset, issues } = validateProperties(defs, values);
  if (issues.length) {
    const details = issues.map((i) => ({ field: `properties.${i.key}`, message: i.reason }));
    const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
    throw new ValidationError(`${details[0]!.field}: ${details[0]!.message}${more}`, details);
  }
  return { set, unset };
}

/** Applies a validated set/unset to stored properties (PATCH merge semantics). */
export function mergeProperties(
  current: Record<string, unknown>,
  change: { set: Record<string, PropertyValue>; unset: string[] },
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current, ...change.set };
  for (const k of change.unset) delete next[k];
  return next;
}

function tableFor(objectType: PropertyObject) {
  return objectType === 'contact' ? contacts : accounts;
}

function checkOptions(options: string[] | undefined) {
  if (!options) return;
  const seen = new Set<string>();
  for (const o of options) {
    const k = o.toLowerCase();
    if (seen.has(k)) throw new ValidationError(`options: "${o}" is listed twice`, [{ field: 'options', message: `"${o}" is listed twice` }]);
    seen.add(k);
  }
}

export async function listPropertyDefinitions({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PropertyDefinitionDto[]> {
  const q = PropertyListQuery.parse(input ?? {});
  const rows = await ctx.db
    .select()
    .from(propertyDefinitions)
    .where(q.objectType ? eq(propertyDefinitions.objectType, q.objectType) : undefined)
    .orderBy(asc(propertyDefinitions.objectType), asc(propertyDefinitions.label), asc(propertyDefinitions.id));
  return rows.map(toPropertyDefinitionDto);
}

export async function getPropertyDefinition({ ctx, id }: { ctx: Ctx; id: number }): Promise<PropertyDefinitionDto> {
  const [row] = await ctx.db.select().from(propertyDefinitions).where(eq(propertyDefinitions.id, id));
  if (!row) throw new NotFoundError('Property', id);
  return toPropertyDefinitionDto(row);
}

export async function createPropertyDefinition({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PropertyDefinitionDto> {
  const data = PropertyDefinitionInput.parse(input);
  checkOptions(data.options);
  return withTransaction(ctx, async (tx) => {
    const [dup] = await tx
      .select({ id: propertyDefinitions.id })
      .from(propertyDefinitions)
      .where(and(eq(propertyDefinitions.objectType, data.objectType), eq(propertyDefinitions.key, data.key)));
    if (dup) throw new ConflictError(`A ${data.objectType} property with key ${data.key} already exists`, { field: 'key' });
    const [row] = await tx
      .insert(propertyDefinitions)
      .values({
        objectType: data.objectType,
        key: data.key,
        label: data.label,
        type: data.type,
        options: data.type === 'enum' ? data.options! : null,
        description: data.description ?? null,
      })
      .returning();
    await recordAudit(tx, ctx.actor, {
      action: 'property.created',
      entityType: 'property_definition',
      entityId: row!.id,
      summary: `Created ${data.objectType} property ${data.key} (${data.type})`,
      changes: { objectType: data.objectType, key: data.key, label: data.label, type: data.type, options: row!.options, description: row!.description },
    });
    return toPropertyDefinitionDto(row!);
  });
}

export async function updatePropertyDefinition({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<PropertyDefinitionDto> {
  const data = PropertyDefinitionPatch.parse(input);
  checkOptions(data.options);
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(propertyDefinitions).where(eq(propertyDefinitions.id, id)).for('update');
    if (!before) throw new NotFoundError('Property', id);
    if (data.options !== undefined && before.type !== 'enum') {
      throw new ValidationError(`options: only enum properties have options (${before.key} is ${before.type})`, [
        { field: 'options', message: `only enum properties have options (${before.key} is ${before.type})` },
      ]);
    }
    if (data.options !== undefined) {
      const kept = new Set(data.options);
      const table = tableFor(before.objectType);
      for (const removed of (before.options ?? []).filter((o) => !kept.has(o))) {
        const [used] = await tx
          .select({ id: table.id })
          .from(table)
          .where(sql`${table.properties} @> jsonb_build_object(${before.key}::text, ${removed}::text)`)
          .limit(1);
        if (used) {
          throw new ConflictError(`Option "${removed}" of ${before.key} is still used by ${before.objectType} ${used.id}; change those values first`, {
            field: 'options',
            option: removed,
          });
        }
      }
    }
    const set: Partial<PropertyDefinition> = {};
    if (data.label !== undefined) set.label = data.label;
    if (data.options !== undefined) set.options = data.options;
    if (data.description !== undefined) set.description = data.description;
    const changes = diffFields(
      { label: before.label, options: before.options, description: before.description },
      set as Record<string, unknown>,
    );
    if (!Object.keys(changes).length) return toPropertyDefinitionDto(before);
    const [after] = await tx.update(propertyDefinitions).set(set).where(eq(propertyDefinitions.id, id)).returning();
    await recordAudit(tx, ctx.actor, {
      action: 'property.updated',
      entityType: 'property_definition',
      entityId: id,
      summary: `Updated ${before.objectType} property ${before.key}: ${Object.keys(changes).join(', ')}`,
      changes,
    });
    return toPropertyDefinitionDto(after!);
  });
}

/** Deletes a definition and, in the same transaction, its values from every contact or account. */
export async function deletePropertyDefinition({ ctx, id }: { ctx: Ctx; id: number }): Promise<{ removedValues: number }> {
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(propertyDefinitions).where(eq(propertyDefinitions.id, id)).for('update');
    if (!before) throw new NotFoundError('Property', id);
    const table = tableFor(before.objectType);
    const cleared = await tx
      .update(table)
      .set({ properties: sql`${table.properties} - ${before.key}::text` })
      .where(sql`jsonb_exists(${table.properties}, ${before.key}::text)`);
    const removedValues = cleared.rowCount ?? 0;
    await tx.delete(propertyDefinitions).where(eq(propertyDefinitions.id, id));
    await recordAudit(tx, ctx.actor, {
      action: 'property.deleted',
      entityType: 'property_definition',
      entityId: id,
      summary: `Deleted ${before.objectType} property ${before.key} (values removed from ${removedValues} ${before.objectType}s)`,
      changes: { key: before.key, objectType: before.objectType, type: before.type, removedValues: removedValues },
    });
    return { removedValues };
  });
}
