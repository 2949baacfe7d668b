// Tables of this domain; filled in by its first migration.
export {};
