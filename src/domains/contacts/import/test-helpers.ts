// Test helpers for import tests: multipart bodies, uploading and running an import to completion.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApp } from '../../../../test/app.ts';
import type { Role } from '../../identity/schema.ts';
import { propertyDefinitions } from '../schema.ts';

export function multipart(fields: Record<string, string>, file?: { name: string; content: string | Buffer; field?: string }) {
  const boundary = `----revloop${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`));
    chunks.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function upload(t: TestApp, csv: string | Buffer, opts: { objectType?: string; name?: string; role?: Role } = {}) {
  const body = multipart(opts.objectType === undefined ? { objectType: 'contacts' } : { objectType: opts.objectType }, { name: opts.name ?? 'people.csv', content: csv });
  return t.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...(await t.as(opts.role ?? 'marketing')), ...body.headers }, payload: body.payload });
}

export async function uploadOk(t: TestApp, csv: string, opts: { objectType?: string; name?: string } = {}) {
  const res = await upload(t, csv, opts);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function defineProperty(t: TestApp, p: { objectType?: 'contact' | 'account'; key: string; label: string; type: 'text' | 'number' | 'date' | 'boolean' | 'enum'; options?: string[] }) {
  await t.db
    .insert(propertyDefinitions)
    .values({ objectType: p.objectType ?? 'contact', key: p.key, label: p.label, type: p.type, options: p.options ?? null })
    .onConflictDoNothing();
}
