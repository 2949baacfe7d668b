import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has sensible defaults', () => {
    const c = loadConfig({}, {});
    expect(c.PORT).toBe(4000);
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.dataDir).toBe(path.resolve('./data'));
  });

  it('rejects a bad port with one line naming the setting and the value', () => {
    expect(() => loadConfig({}, { PORT: 'abc' })).toThrow(ConfigError);
    try {
      loadConfig({}, { PORT: '70000' });
    } catch (err) {
      expect((err as Error).message).toMatch(/^Invalid configuration: PORT .*"70000"/);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('rejects a DATABASE_URL that is not a postgres URL', () => {
    expect(() => loadConfig({}, { DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('rejects an unknown log level', () => {
    expect(() => loadConfig({}, { LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('reads an optional JSON config file, and the environment wins over it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, 'revloop.config.json');
    writeFileSync(file, JSON.stringify({ PORT: 5000, LOG_LEVEL: 'warn' }));
    const c = loadConfig({}, { REVLOOP_CONFIG: file, LOG_LEVEL: 'error' });
    expect(c.PORT).toBe(5000);
    expect(c.LOG_LEVEL).toBe('error');
  });

  it('rejects a config file that is not JSON, naming the file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{ nope');
    expect(() => loadConfig({}, { REVLOOP_CONFIG: file })).toThrow(new RegExp(`config file ${file}`));
  });

  it('command-line overrides win over the environment', () => {
    expect(loadConfig({ PORT: '4100' }, { PORT: '4200' }).PORT).toBe(4100);
  });
});
