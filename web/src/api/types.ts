// Types and constants shared with the server, straight from the contracts.
import type { z } from 'zod';
import type { AccountPage, ContactPage, TimelineItem, TimelinePage, PropertyDefinitionInput } from '../../../src/contracts/contacts.ts';
import type { AuditPage } from '../../../src/contracts/identity.ts';
import type { ImportError, ImportErrorPage, ImportList, ImportOptions } from '../../../src/contracts/imports.ts';

export type { ErrorResponse } from '../../../src/contracts/common.ts';
export type { ApiKey, AuditEntry, CreateApiKeyInput, CreateUserInput, Me, Role, UpdateUserInput, User } from '../../../src/contracts/identity.ts';
export type {
  Account,
  AccountInput,
  AccountPatch,
  Contact,
  ContactInput,
  ContactPatch,
  ContactSort,
  LifecycleStage,
  PropertyDefinition,
} from '../../../src/contracts/contacts.ts';
export type { Import, ImportPreview, StartImportInput } from '../../../src/contracts/imports.ts';
export { ACCOUNT_SORTS, CONTACT_SORTS, LIFECYCLE_LABELS, LifecycleStage as LifecycleStageSchema } from '../../../src/contracts/contacts.ts';
export { Role as RoleSchema } from '../../../src/contracts/identity.ts';
export { ACCOUNT_IMPORT_FIELDS, CONTACT_IMPORT_FIELDS } from '../../../src/contracts/imports.ts';

export type ContactPageT = z.infer<typeof ContactPage>;
export type AccountPageT = z.infer<typeof AccountPage>;
export type TimelineItemT = z.infer<typeof TimelineItem>;
export type TimelinePageT = z.infer<typeof TimelinePage>;
export type AuditPageT = z.infer<typeof AuditPage>;
export type ImportErrorT = z.infer<typeof ImportError>;
export type ImportErrorPageT = z.infer<typeof ImportErrorPage>;
export type ImportListT = z.infer<typeof ImportList>;
export type ImportOptionsT = z.input<typeof ImportOptions>;
export type PropertyDefinitionInputT = z.input<typeof PropertyDefinitionInput>;
export type Total = ContactPageT['total'];
