// CSV import of contacts / accounts: upload → preview & mapping → background job with progress → report.
import { z } from 'zod';
import { Timestamp } from './common.ts';

export const ImportObject = z.enum(['contacts', 'accounts']);
export const ImportStatus = z.enum(['uploaded', 'queued', 'running', 'completed', 'failed', 'cancelled']);

/**
 * Targets a CSV column can map to. Contacts: email, firstName, lastName, title, phone, lifecycleStage,
 * ownerEmail, accountName, accountDomain, property:<key>. Accounts: name, domain, industry, employeeCount,
 * country, ownerEmail, property:<key>. null ignores the column.
 */
export const CONTACT_IMPORT_FIELDS = ['email', 'firstName', 'lastName', 'title', 'phone', 'lifecycleStage', 'ownerEmail', 'accountName', 'accountDomain'] as const;
export const ACCOUNT_IMPORT_FIELDS = ['name', 'domain', 'industry', 'employeeCount', 'country', 'ownerEmail'] as const;
export const ImportTarget = z.string().regex(/^([A-Za-z]+|property:[a-z][a-z0-9_]{0,62})$/, 'must be a field name or property:<key>');

/** CSV header → target field (or null to skip the column). */
export const ImportMapping = z.record(z.string(), ImportTarget.nullable());

export const ImportOptions = z
  .object({
    /** Update contacts that already exist (matched by email; accounts by domain). Off: existing rows are reported as rejected duplicates. */
    updateExisting: z.boolean().default(true),
    /** Create an account from accountDomain / the email's company domain when none exists (free-mail domains never). */
    createAccounts: z.boolean().default(true),
  })
  .strict();

export const Import = z
  .object({
    id: z.number().int(),
    objectType: ImportObject,
    status: ImportStatus,
    filename: z.string(),
    fileSize: z.number().int(),
    headers: z.array(z.string()),
    mapping: ImportMapping.nullable(),
    /** 0..1, by bytes read. */
    progress: z.number(),
    processedRows: z.number().int(),
    insertedRows: z.number().int(),
    updatedRows: z.number().int(),
    rejectedRows: z.number().int(),
    errorMessage: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Import' });
export type Import = z.infer<typeof Import>;

/** Answer to the upload: the import record, the first rows and a suggested mapping to confirm. */
export const ImportPreview = z.object({
  import: Import,
  sampleRows: z.array(z.record(z.string(), z.string())),
  suggestedMapping: ImportMapping,
  /** Every target the user may pick, with a label, for the mapping screen. */
  targets: z.array(z.object({ value: z.string(), label: z.string(), required: z.boolean() })),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const StartImportInput = z.object({ mapping: ImportMapping, options: ImportOptions.default({ updateExisting: true, createAccounts: true }) }).strict();
export type StartImportInput = z.infer<typeof StartImportInput>;

export const ImportError = z.object({ line: z.number().int(), column: z.string().nullable(), reason: z.string(), row: z.record(z.string(), z.string()).nullable() });
export const ImportErrorPage = z.object({ items: z.array(ImportError), nextCursor: z.string().nullable() });
export const ImportList = z.object({ items: z.array(Import) });
