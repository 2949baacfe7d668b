import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { LifecycleStage as LifecycleStageEnum } from '../../contracts/contacts.ts';

// workspace_id is the tenant key a distributed Postgres (Citus) would shard on. One workspace (1) today.

export const accounts = pgTable(
  'accounts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    name: text('name').notNull(),
    /** Lower-cased web domain (acme.com); unique per workspace when present. */
    domain: text('domain'),
    industry: text('industry'),
    employeeCount: integer('employee_count'),
    country: text('country'),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('accounts_domain_unique').on(t.workspaceId, t.domain),
    index('accounts_name_idx').on(t.workspaceId, sql`lower(${t.name})`, t.id),
    index('accounts_created_idx').on(t.workspaceId, t.createdAt, t.id),
  ],
);

/** The stages (defined once, in the shared contract). */
export const LIFECYCLE_STAGES = LifecycleStageEnum.options;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const contacts = pgTable(
  'contacts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    /** Stored trimmed and lower-cased: unique case-insensitively. */
    email: text('email').notNull(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    title: text('title'),
    phone: text('phone'),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    accountId: bigint('account_id', { mode: 'number' }).references(() => accounts.id, { onDelete: 'set null' }),
    /** Placeholder until the lifecycle domain lands; the lifecycle domain will own transitions. */
    lifecycleStage: text('lifecycle_stage').$type<LifecycleStage>().notNull().default('subscriber'),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    source: text('source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_email_unique').on(t.workspaceId, t.email),
    index('contacts_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('contacts_updated_idx').on(t.workspaceId, t.updatedAt, t.id),
    index('contacts_last_name_idx').on(t.workspaceId, t.lastName, t.id),
    index('contacts_stage_created_idx').on(t.workspaceId, t.lifecycleStage, t.createdAt, t.id),
    // Lead with the FK column so deletes of accounts/users find contacts; the rest serves filtered, sorted pages.
    index('contacts_account_idx').on(t.accountId, t.workspaceId, t.createdAt, t.id),
    index('contacts_owner_idx').on(t.ownerId, t.workspaceId, t.createdAt, t.id),
    // Case-insensitive prefix search on names (list `q`); text_pattern_ops so LIKE 'x%' uses them under any collation.
    index('contacts_first_name_lower_idx').on(t.workspaceId, sql`lower(${t.firstName}) text_pattern_ops`),
    index('contacts_last_name_lower_idx').on(t.workspaceId, sql`lower(${t.lastName}) text_pattern_ops`),
  ],
);

export const PROPERTY_TYPES = ['text', 'number', 'date', 'boolean', 'enum'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];
export const PROPERTY_OBJECTS = ['contact', 'account'] as const;
export type PropertyObject = (typeof PROPERTY_OBJECTS)[number];

export const propertyDefinitions = pgTable(
  'property_definitions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    objectType: text('object_type').$type<PropertyObject>().notNull(),
    /** Machine name used in the API and CSV mapping (snake_case). */
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type').$type<PropertyType>().notNull(),
    /** Allowed values for enum properties. */
    options: jsonb('options').$type<string[]>(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('property_definitions_key_unique').on(t.objectType, t.key)],
);

export const IMPORT_STATUSES = ['uploaded', 'queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const imports = pgTable(
  'imports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    /** contacts | accounts */
    objectType: text('object_type').notNull(),
    status: text('status').$type<ImportStatus>().notNull().default('uploaded'),
    filename: text('filename').notNull(),
    /** Path of the uploaded file under DATA_DIR/uploads. */
    filePath: text('file_path').notNull(),
    fileSize: bigint('file_size', { mode: 'number' }).notNull(),
    headers: jsonb('headers').$type<string[]>().notNull(),
    mapping: jsonb('mapping').$type<Record<string, string | null>>(),
    options: jsonb('options').$type<Record<string, unknown>>(),
    /** Bytes of the file consumed so far (progress for large files). */
    bytesProcessed: bigint('bytes_processed', { mode: 'number' }).notNull().default(0),
    /** Last data line committed; a restarted job resumes after it. */
    checkpointLine: integer('checkpoint_line').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    insertedRows: integer('inserted_rows').notNull().default(0),
    updatedRows: integer('updated_rows').notNull().default(0),
    rejectedRows: integer('rejected_rows').notNull().default(0),
    errorMessage: text('error_message'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('imports_created_idx').on(t.workspaceId, t.id.desc())],
);

export const importErrors = pgTable(
  'import_errors',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    /** Line number in the file (the header is line 1). */
    line: integer('line').notNull(),
    /** Column (CSV header) at fault, when one is. */
    column: text('column'),
    reason: text('reason').notNull(),
    /** The raw row as parsed, for the downloadable error file. */
    row: jsonb('row').$type<Record<string, string>>(),
  },
  (t) => [index('import_errors_import_idx').on(t.importId, t.line)],
);

export type Account = typeof accounts.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type PropertyDefinition = typeof propertyDefinitions.$inferSelect;
export type Import = typeof imports.$inferSelect;
export type ImportErrorRow = typeof importErrors.$inferSelect;
