// One line per top-level command: shown by `revloop --help` without loading the command's module (index.ts), and
// used by the module itself when it is loaded, so the two never differ.
export const ABOUT = {
  start: 'Start revloop (embedded PostgreSQL unless DATABASE_URL is set), web UI and API on one port',
  migrate: 'Apply database migrations (embedded PostgreSQL unless DATABASE_URL is set) and exit',
  users: 'Manage user accounts',
  doctor: 'Check Node, configuration, data directory, disk space, port and database; exit 1 if anything fails',
  demo: 'Load a generated B2B company (accounts, contacts, owners, custom properties, content with reading history, SMEs, field intel, email history and nurture programs) so every screen has data',
  import: 'Import contacts or accounts from a CSV file (upsert by email / domain; rejected rows are reported with line and reason)',
  export: 'Export contacts or accounts as CSV (to stdout, or --out file), filtered like the list',
  sources: 'Tracking sources and their write keys',
  deals: 'Deals (opportunities) from your CRM: CSV import and export',
  backup: 'Write a consistent backup of the whole database to one file (works while revloop runs)',
  restore: 'Restore a backup made by `revloop backup` into an empty database (revloop must be stopped)',
  content: 'Content engine: import an inventory, rebuild consumption',
} as const;

export type CommandName = keyof typeof ABOUT;
