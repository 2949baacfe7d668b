// The contacts domain's service verbs (contacts, accounts, custom property definitions, lists, exports).
// Each verb lives in its own file; this module is the one import for routes, the CLI and other domains.
export { createContact, getContact, updateContact, deleteContact, listContacts, contactTimeline, accountForEmail, loadContact } from './contacts.ts';
export { createAccount, getAccount, updateAccount, deleteAccount, listAccounts, loadAccount } from './accounts.ts';
export {
  listPropertyDefinitions,
  getPropertyDefinition,
  createPropertyDefinition,
  updatePropertyDefinition,
  deletePropertyDefinition,
  loadPropertyDefinitions,
  checkPropertyValues,
  mergeProperties,
  toPropertyDefinitionDto,
} from './property-definitions.ts';
export { prepareContactExport, prepareAccountExport, exportContactsCsv, exportAccountsCsv, CONTACT_EXPORT_COLUMNS, ACCOUNT_EXPORT_COLUMNS } from './export.ts';
export { escapeFormula, csvCell, csvRow } from './csv-safe.ts';
