// Tables of the nurture domain: programs (the editable definition), their immutable versions (what an
// enrolment runs), enrolments (one row per entry of a contact into a program; kept after it ends, so a
// recycled lead that re-enters keeps its whole history) and step runs (one row per executed step, unique per
// enrolment × sequence number: the exactly-once key). Definitions' shape: src/contracts/nurture.ts.
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ProgramDefinition, ProgramStatus, EnrolmentStatus } from '../../contracts/nurture.ts';
import { contacts } from '../contacts/schema.ts';
import { users } from '../identity/schema.ts';

export const nurturePrograms = pgTable(
  'nurture_programs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    name: text('name').notNull(),
    description: text('description'),
    status: text('status').$type<ProgramStatus>().notNull().default('draft'),
    /** The newest version (nurture_program_versions); new entries run it. */
    version: integer('version').notNull().default(1),
    definition: jsonb('definition').$type<ProgramDefinition>().notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('nurture_programs_name_unique').on(t.workspaceId, sql`lower(${t.name})`), index('nurture_programs_status_idx').on(t.workspaceId, t.status)],
);

/** Immutable: every saved change of a program's definition is a new version; enrolments pin theirs. */
export const nurtureProgramVersions = pgTable(
  'nurture_program_versions',
  {
    programId: integer('program_id')
      .notNull()
      .references(() => nurturePrograms.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<ProgramDefinition>().notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('nurture_program_versions_pk').on(t.programId, t.version)],
);

export const nurtureEnrolments = pgTable(
  'nurture_enrolments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    programId: integer('program_id')
      .notNull()
      .references(() => nurturePrograms.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** 1 for the first entry of this contact into this program, 2 for the re-entry after, … */
    entryNumber: integer('entry_number').notNull().default(1),
    status: text('status').$type<EnrolmentStatus>().notNull().default('active'),
    /** The step to execute next (null once ended). */
    stepId: text('step_id'),
    /** Steps executed so far: the next step run's sequence number is seq + 1. */
    seq: integer('seq').notNull().default(0),
    /** When the next step is due (waits move it forward); null once ended. */
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    /** A wait-until-event step: since when the event is awaited. */
    waitSince: timestamp('wait_since', { withTimezone: true }),
    /** Why the enrolment ended: completed, exit step, exit criterion, goal, removed. */
    endReason: text('end_reason'),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    // One running enrolment per contact and program; ended ones stay as history.
    uniqueIndex('nurture_enrolments_active_unique').on(t.programId, t.contactId).where(sql`status = 'active'`),
    index('nurture_enrolments_due_idx').on(t.nextRunAt).where(sql`status = 'active'`),
    index('nurture_enrolments_program_idx').on(t.programId, t.status, t.stepId),
    index('nurture_enrolments_contact_idx').on(t.contactId, t.programId),
  ],
);

export const nurtureStepRuns = pgTable(
  'nurture_step_runs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    enrolmentId: bigint('enrolment_id', { mode: 'number' })
      .notNull()
      .references(() => nurtureEnrolments.id, { onDelete: 'cascade' }),
    programId: integer('program_id').notNull(),
    contactId: bigint('contact_id', { mode: 'number' }).notNull(),
    seq: integer('seq').notNull(),
    stepId: text('step_id').notNull(),
    stepType: text('step_type').notNull(),
    /** What happened: email status and message id, branch taken, content item picked, stage moved, … */
    outcome: jsonb('outcome').$type<Record<string, unknown>>().notNull().default({}),
    /** A content step's pick (so a contact is never sent the same item twice by a program). */
    contentItemId: integer('content_item_id'),
    /** The (possibly simulated) time the step ran. */
    ranAt: timestamp('ran_at', { withTimezone: true }).notNull(),
    /** Which worker ran it (diagnostics). */
    worker: text('worker'),
  },
  (t) => [
    uniqueIndex('nurture_step_runs_key').on(t.enrolmentId, t.seq),
    index('nurture_step_runs_contact_idx').on(t.contactId, t.programId),
    index('nurture_step_runs_program_idx').on(t.programId, t.ranAt),
  ],
);
