import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { asc, eq, inArray } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { auditLog } from '../../identity/schema.ts';
import { lifecycleTransitions } from '../../lifecycle/schema.ts';
import { accounts, contacts, importErrors, imports } from '../schema.ts';
import { runImport } from './run.ts';
import { cancelImport, createImport, startImport } from './service.ts';
import { defineProperty } from './test-helpers.ts';

const silent = pino({ level: 'silent' });
let t: TestApp;
let n = 0;
beforeAll(async () => {
  t = await createTestApp();
  await defineProperty(t, { key: 'score', label: 'Lead score', type: 'number' });
  await defineProperty(t, { key: 'signed_up', label: 'Signed up', type: 'date' });
  await defineProperty(t, { key: 'plan', label: 'Plan', type: 'enum', options: ['Free', 'Pro'] });
});
afterAll(() => t.close());

async function importCsv(
  csv: string,
  opts: { objectType?: 'contacts' | 'accounts'; mapping?: Record<string, string | null>; options?: { updateExisting?: boolean; createAccounts?: boolean }; chunkSize?: number; maxChunks?: number } = {},
) {
  const ctx = await t.ctx('marketing');
  const file = path.join(t.config.dataDir, `f-${++n}.csv`);
  writeFileSync(file, csv);
  const preview = await createImport({ ctx, input: { objectType: opts.objectType ?? 'contacts', filename: 'people.csv', filePath: file, fileSize: statSync(file).size } });
  const id = preview.import.id;
  await startImport({ ctx, id, input: { mapping: opts.mapping ?? preview.suggestedMapping, options: opts.options ?? {} }, enqueue: false });
  const done = await runImport({ db: t.db, importId: id, log: silent, chunkSize: opts.chunkSize, maxChunks: opts.maxChunks });
  const errors = await t.db.select().from(importErrors).where(eq(importErrors.importId, id)).orderBy(asc(importErrors.line));
  return { id, done, errors, preview };
}

const byEmail = async (...emails: string[]) => t.db.select().from(contacts).where(inArray(contacts.email, emails)).orderBy(asc(contacts.email));

describe('runImport', () => {
  it('records a lifecycle transition (cause import, with the importer) for each existing contact whose stage the file changes', async () => {
    await importCsv('Email,Lifecycle Stage\r\nstage-a@stage-co.com,lead\r\nstage-b@stage-co.com,lead\r\n');
    const { id } = await importCsv('Email,Lifecycle Stage\r\nstage-a@stage-co.com,customer\r\nstage-b@stage-co.com,lead\r\n');
    const [a, b] = await byEmail('stage-a@stage-co.com', 'stage-b@stage-co.com');
    expect(a!.lifecycleStage).toBe('customer');
    const rows = await t.db.select().from(lifecycleTransitions).where(inArray(lifecycleTransitions.contactId, [a!.id, b!.id]));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ contactId: a!.id, fromStage: 'lead', toStage: 'customer', cause: 'import', reason: `CSV import #${id}`, actorType: 'user' });
  });

  it('imports mapped columns, links accounts by email domain and records the audit summary', async () => {
    const csv = 'E-mail,First Name,Last Name,Job Title,Company,Lead score,Plan\r\nada@lovelace-labs.com,Ada,Lovelace,CTO,Lovelace Labs,42,pro\r\nalan@turing.io,Alan,Turing,,,,\r\n';
    const { done, errors, id } = await importCsv(csv);
    expect(errors).toEqual([]);
    expect(done).toMatchObject({ status: 'completed', processedRows: 2, insertedRows: 2, updatedRows: 0, rejectedRows: 0 });
    const [ada, alan] = await byEmail('ada@lovelace-labs.com', 'alan@turing.io');
    expect(ada).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', title: 'CTO', lifecycleStage: 'subscriber', properties: { score: 42, plan: 'Pro' } });
    const [acct] = await t.db.select().from(accounts).where(eq(accounts.id, ada!.accountId!));
    expect(acct).toMatchObject({ name: 'Lovelace Labs', domain: 'lovelace-labs.com' });
    expect(alan!.accountId).not.toBeNull();
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, String(id)));
    expect(audit.map((a) => a.summary)).toContain('Imported 2 contacts from people.csv: 2 new, 0 updated, 0 rejected');
  });

  it('rejects bad rows with line, column and reason, commits the good ones, and the counts add up', async () => {
    const owner = await t.makeUser('sales', 'owner-one@revloop.test');
    const csv = [
      'Email,First Name,Lifecycle Stage,Owner,Lead score,Signed up',
      `good1@acme-bad.com,Good,lead,${owner.email},10,2026-01-31`,
      'not-an-email,Bad,lead,,,',
      'bad-stage@acme-bad.com,Bad,champion,,,',
      'bad-owner@acme-bad.com,Bad,,nobody@nowhere.test,,',
      'bad-number@acme-bad.com,Bad,,,lots,',
      'bad-date@acme-bad.com,Bad,,,,2026-02-30',
      ',No email,,,,',
      'GOOD2@Acme-Bad.com,Good,Marketing-qualified,,,',
    ].join('\n');
    const { done, errors } = await importCsv(csv);
    expect(done).toMatchObject({ status: 'completed', processedRows: 8, insertedRows: 2, updatedRows: 0, rejectedRows: 6 });
    expect(done.processedRows).toBe(done.insertedRows + done.updatedRows + done.rejectedRows);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'Email'],
      [4, 'Lifecycle Stage'],
      [5, 'Owner'],
      [6, 'Lead score'],
      [7, 'Signed up'],
      [8, 'Email'],
    ]);
    expect(errors[0]!.reason).toMatch(/valid email/);
    expect(errors[1]!.reason).toMatch(/lifecycleStage must be one of/);
    expect(errors[2]!.reason).toMatch(/nobody@nowhere.test/);
    expect(errors[3]!.reason).toMatch(/score must be a number/);
    expect(errors[4]!.reason).toMatch(/not a real date/);
    expect(errors[5]!.reason).toBe('email is required');
    expect(errors[0]!.row).toMatchObject({ Email: 'not-an-email', 'First Name': 'Bad' });
    const good = await byEmail('good1@acme-bad.com', 'good2@acme-bad.com');
    expect(good.map((c) => c.lifecycleStage)).toEqual(['lead', 'marketing_qualified']);
    expect(good[0]).toMatchObject({ ownerId: owner.id, properties: { score: 10, signed_up: '2026-01-31' } });
    expect(await byEmail('bad-stage@acme-bad.com', 'bad-owner@acme-bad.com')).toEqual([]);
  });

  it('updates existing contacts by email case-insensitively and leaves fields with empty cells unchanged', async () => {
    await importCsv('email,first name,title,lead score\nupsert@acme-up.com,Grace,Engineer,5\n');
    const { done } = await importCsv('EMAIL,First Name,Title,Lead score\n  UPSERT@ACME-UP.COM ,,Admiral,7\n');
    expect(done).toMatchObject({ processedRows: 1, insertedRows: 0, updatedRows: 1, rejectedRows: 0 });
    const [c] = await byEmail('upsert@acme-up.com');
    expect(c).toMatchObject({ firstName: 'Grace', title: 'Admiral', properties: { score: 7 } });
  });

  it('lets a later row with the same email update the earlier one (counted as updated)', async () => {
    const { done, errors } = await importCsv('email,first name,title\ndup@acme-dup.com,First,One\nother@acme-dup.com,Other,\nDUP@acme-dup.com,,Two\n');
    expect(errors).toEqual([]);
    expect(done).toMatchObject({ processedRows: 3, insertedRows: 2, updatedRows: 1, rejectedRows: 0 });
    expect((await byEmail('dup@acme-dup.com'))[0]).toMatchObject({ firstName: 'First', title: 'Two' });
  });

  it('with updateExisting=false rejects existing contacts and in-file duplicates as duplicates', async () => {
    await importCsv('email,first name\nexisting@acme-noup.com,Before\n');
    const { done, errors } = await importCsv('email,first name\nexisting@acme-noup.com,After\nfresh@acme-noup.com,Fresh\nfresh@acme-noup.com,Again\n', {
      options: { updateExisting: false },
    });
    expect(done).toMatchObject({ processedRows: 3, insertedRows: 1, updatedRows: 0, rejectedRows: 2 });
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'email'],
      [4, 'email'],
    ]);
    expect(errors[0]!.reason).toMatch(/already exists/);
    expect(errors[1]!.reason).toMatch(/line 3/);
    expect((await byEmail('existing@acme-noup.com'))[0]!.firstName).toBe('Before');
    expect((await byEmail('fresh@acme-noup.com'))[0]!.firstName).toBe('Fresh');
  });

  it('links by company domain, never creates accounts for free-mail domains, and honours createAccounts=false', async () => {
    const { done } = await importCsv(
      'email,company domain,company\njo@gmail.com,,\nkim@gmx.de,,\nlee@yahoo.com,https://www.Initech-Link.com/about,Initech\nmo@hooli-link.com,,\n',
    );
    expect(done.rejectedRows).toBe(0);
    const [jo, kim, lee, mo] = await byEmail('jo@gmail.com', 'kim@gmx.de', 'lee@yahoo.com', 'mo@hooli-link.com');
    expect(jo!.accountId).toBeNull();
    expect(kim!.accountId).toBeNull();
    const free = await t.db.select().from(accounts).where(inArray(accounts.domain, ['gmail.com', 'gmx.de', 'yahoo.com']));
    expect(free).toEqual([]);
    const [initech] = await t.db.select().from(accounts).where(eq(accounts.id, lee!.accountId!));
    expect(initech).toMatchObject({ domain: 'initech-link.com', name: 'Initech' });
    const [hooli] = await t.db.select().from(accounts).where(eq(accounts.id, mo!.accountId!));
    expect(hooli).toMatchObject({ domain: 'hooli-link.com', name: 'Hooli Link' });

    const { done: d2 } = await importCsv('email\nnew@nocreate-link.com\nsecond@hooli-link.com\n', { options: { createAccounts: false } });
    expect(d2.insertedRows).toBe(2);
    const [nc, second] = await byEmail('new@nocreate-link.com', 'second@hooli-link.com');
    expect(nc!.accountId).toBeNull();
    expect(second!.accountId).toBe(hooli!.id);
    expect(await t.db.select().from(accounts).where(eq(accounts.domain, 'nocreate-link.com'))).toEqual([]);
  });

  it('resumes after a crash from the last committed chunk without double counting', async () => {
    const lines = ['email,first name,lead score'];
    for (let i = 1; i <= 25; i++) lines.push(i % 7 === 0 ? `broken-${i},X,1` : `r${i}@acme-resume.com,R${i},${i}`);
    const ctx = await t.ctx('marketing');
    const file = path.join(t.config.dataDir, 'resume.csv');
    writeFileSync(file, lines.join('\n'));
    const preview = await createImport({ ctx, input: { objectType: 'contacts', filename: 'resume.csv', filePath: file, fileSize: statSync(file).size } });
    const id = preview.import.id;
    await startImport({ ctx, id, input: { mapping: preview.suggestedMapping, options: {} }, enqueue: false });
    const crashed = await runImport({ db: t.db, importId: id, log: silent, chunkSize: 10, maxChunks: 1 });
    expect(crashed).toMatchObject({ status: 'running', processedRows: 10, checkpointLine: 11, rejectedRows: 1 });
    expect(crashed.bytesProcessed).toBeGreaterThan(0);
    expect(crashed.bytesProcessed).toBeLessThan(crashed.fileSize);
    const done = await runImport({ db: t.db, importId: id, log: silent, chunkSize: 10 });
    expect(done).toMatchObject({ status: 'completed', processedRows: 25, insertedRows: 22, updatedRows: 0, rejectedRows: 3, bytesProcessed: done.fileSize });
    const errs = await t.db.select().from(importErrors).where(eq(importErrors.importId, id)).orderBy(asc(importErrors.line));
    expect(errs.map((e) => e.line)).toEqual([8, 15, 22]);
    const rows = await t.db.select().from(contacts).where(eq(contacts.source, 'import'));
    expect(rows.filter((r) => r.email.endsWith('@acme-resume.com'))).toHaveLength(22);
    // Running a finished import again changes nothing.
    const again = await runImport({ db: t.db, importId: id, log: silent });
    expect(again.processedRows).toBe(25);
  });

  it('handles a BOM, CRLF, semicolons and quoted fields with delimiters and newlines, reporting the starting line', async () => {
    const csv = '\uFEFF"Email";"First Name";"Job Title"\r\n"q1@acme-quote.com";"Ada; the first";"Line one\r\nline two"\r\n\r\n"bad email";"x";"y"\r\n"q2@acme-quote.com";"B";"T"\r\n';
    const { done, errors, preview } = await importCsv(csv);
    expect(preview.import.headers).toEqual(['Email', 'First Name', 'Job Title']);
    expect(done).toMatchObject({ processedRows: 3, insertedRows: 2, rejectedRows: 1 });
    expect(errors.map((e) => e.line)).toEqual([5]);
    const [q1] = await byEmail('q1@acme-quote.com');
    expect(q1).toMatchObject({ firstName: 'Ada; the first', title: 'Line one\r\nline two' });
  });

  it('reports a row with more values than the header instead of failing the file', async () => {
    const { done, errors } = await importCsv('email,first name\nok@acme-cols.com,Ok\nextra@acme-cols.com,A,B,C\n');
    expect(done).toMatchObject({ status: 'completed', insertedRows: 1, rejectedRows: 1 });
    expect(errors[0]).toMatchObject({ line: 3, column: null });
    expect(errors[0]!.reason).toMatch(/4 values but the header has 2 columns/);
  });

  it('marks the import failed with a message on a broken file and keeps the committed chunks', async () => {
    const good = Array.from({ length: 8 }, (_, i) => `fine${i}@acme-broken.com,Fine`).join('\n');
    const { done } = await importCsv(`email,first name\n${good}\nbroken@acme-broken.com,"unclosed\n`, { chunkSize: 4 });
    expect(done.status).toBe('failed');
    expect(done.errorMessage).toMatch(/not valid CSV/);
    expect(await byEmail('fine0@acme-broken.com', 'fine7@acme-broken.com')).toHaveLength(2);
    expect(done.processedRows).toBe(8);
  });

  it('imports accounts by domain, updating existing ones', async () => {
    await defineProperty(t, { objectType: 'account', key: 'tier', label: 'Tier', type: 'enum', options: ['A', 'B'] });
    const { done, errors } = await importCsv('Company Name,Website,Industry,Employees,Tier\nGlobex,globex-acct.com,Energy,"1,200",a\nNo Domain Co,,,,\n,,Retail,,\nBad,globex-acct.com,,many,\n,,,,\n', {
      objectType: 'accounts',
    });
    expect(done).toMatchObject({ processedRows: 4, insertedRows: 2, updatedRows: 0, rejectedRows: 2 });
    expect(errors.map((e) => [e.line, e.reason])).toEqual([
      [4, 'name or domain is required'],
      [5, expect.stringMatching(/employeeCount must be a whole number/)],
    ]);
    const { done: again } = await importCsv('name,domain,industry\nGlobex Corp,GLOBEX-ACCT.com,\nno domain co,,Retail\n', { objectType: 'accounts' });
    expect(again).toMatchObject({ insertedRows: 0, updatedRows: 2 });
    const [g] = await t.db.select().from(accounts).where(eq(accounts.domain, 'globex-acct.com'));
    expect(g).toMatchObject({ name: 'Globex Corp', industry: 'Energy', employeeCount: 1200, properties: { tier: 'A' } });
  });
});

describe('import status', () => {
  it('stops a running import at the next chunk when it is cancelled, keeping what was committed', async () => {
    const lines = ['email', ...Array.from({ length: 200 }, (_, i) => `cx${i}@acme-cx.com`)];
    const ctx = await t.ctx('marketing');
    const file = path.join(t.config.dataDir, 'cancel.csv');
    writeFileSync(file, lines.join('\n'));
    const preview = await createImport({ ctx, input: { objectType: 'contacts', filename: 'cancel.csv', filePath: file, fileSize: statSync(file).size } });
    const id = preview.import.id;
    await startImport({ ctx, id, input: { mapping: preview.suggestedMapping, options: {} }, enqueue: false });
    let cancelled = false;
    const res = await runImport({
      db: t.db,
      importId: id,
      log: silent,
      chunkSize: 5,
      onProgress: (p) => {
        if (p.processedRows === 5 && !cancelled) {
          cancelled = true;
          void cancelImport({ ctx, id }).catch(() => undefined);
        }
      },
    });
    expect(res.status).toBe('cancelled');
    expect(res.processedRows).toBeLessThan(200);
    expect(res.processedRows).toBe(res.insertedRows);
    const rows = await t.db.select().from(contacts).where(eq(contacts.source, 'import'));
    expect(rows.filter((r) => r.email.endsWith('@acme-cx.com'))).toHaveLength(res.insertedRows);
  });

  it('does not run an import that was not started', async () => {
    const ctx = await t.ctx('marketing');
    const file = path.join(t.config.dataDir, 'idle.csv');
    writeFileSync(file, 'email\na@b-idle.com\n');
    const preview = await createImport({ ctx, input: { objectType: 'contacts', filename: 'idle.csv', filePath: file, fileSize: statSync(file).size } });
    const res = await runImport({ db: t.db, importId: preview.import.id, log: silent });
    expect(res.status).toBe('uploaded');
    const [row] = await t.db.select().from(imports).where(eq(imports.id, preview.import.id));
    expect(row!.processedRows).toBe(0);
  });
});
