import { writeFileSync } from 'node:fs';
import { readCsv } from '../../src/domains/contacts/import/csv-file.ts';
import { compileMapping, validateContact } from '../../src/domains/contacts/import/rows.ts';
const N = 200000;
let s = 'Email,First Name,Last Name,Job Title,Company Domain,Phone,Lead score,Plan\n';
for (let i = 0; i < N; i++) s += `ada.lovelace.${i}@company${i % 5000}.com,Ada,Lovelace,CTO,company${i % 5000}.com,+1 555 ${i},${i % 100},Pro\n`;
writeFileSync('/tmp/js.csv', s);
const headers = ['Email', 'First Name', 'Last Name', 'Job Title', 'Company Domain', 'Phone', 'Lead score', 'Plan'];
const mapping = { Email: 'email', 'First Name': 'firstName', 'Last Name': 'lastName', 'Job Title': 'title', 'Company Domain': 'accountDomain', Phone: 'phone', 'Lead score': 'property:score', Plan: 'property:plan' };
const c = compileMapping('contacts', headers, mapping, [{ key: 'score', label: 'Score', type: 'number', options: null }, { key: 'plan', label: 'Plan', type: 'enum', options: ['Free', 'Pro'] }], new Map());
let t = performance.now(); let n = 0;
for await (const item of readCsv('/tmp/js.csv', { delimiter: ',', batchSize: 5000 })) if (!('header' in item)) n += item.records.length;
console.log('parse only', Math.round(n / ((performance.now() - t) / 1000)), 'rows/s');
t = performance.now(); n = 0; let bytes = 0;
for await (const item of readCsv('/tmp/js.csv', { delimiter: ',', batchSize: 5000 })) if (!('header' in item)) { const rows = item.records.map((r) => validateContact(c, r)); n += rows.length; bytes += JSON.stringify(rows.map((r: any) => ({ email: r.email, first_name: r.firstName, props: r.properties }))).length; }
console.log('parse+validate+json', Math.round(n / ((performance.now() - t) / 1000)), 'rows/s');
