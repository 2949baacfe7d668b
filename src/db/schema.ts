// Schema barrel: every domain's tables. drizzle-kit reads this file.
export * from '../domains/identity/schema.ts';
export * from '../domains/contacts/schema.ts';
export * from '../domains/tracking/schema.ts';
export * from '../domains/scoring/schema.ts';
export * from '../domains/lifecycle/schema.ts';
export * from '../domains/webhooks/schema.ts';
export * from '../domains/content/schema.ts';
export * from '../domains/content/schema-intel.ts';
export * from '../domains/content/schema-feedback.ts';
export * from '../domains/plan/schema.ts';
export * from '../domains/content/schema-coverage.ts';
export * from '../domains/plan/schema-objectives.ts';
export * from '../domains/plan/schema-spend.ts';
export * from '../domains/market/schema.ts';
export * from '../domains/email/schema.ts';
export * from '../domains/nurture/schema.ts';
export * from '../domains/analytics/schema.ts';
