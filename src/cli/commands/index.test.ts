import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ABOUT } from './about.ts';
import { invokedCommand, registerCommands } from './index.ts';

const build = async (args: string[]) => {
  const program = new Command('revloop').exitOverride();
  await registerCommands(program, args);
  return program;
};

describe('invokedCommand', () => {
  it('finds the command after options and after help, and nothing for unknown words', () => {
    expect(invokedCommand(['sources', 'list', '--data-dir', 'x'])).toBe('sources');
    expect(invokedCommand(['help', 'restore'])).toBe('restore');
    expect(invokedCommand(['--help'])).toBeNull();
    expect(invokedCommand(['bogus'])).toBeNull();
    expect(invokedCommand(['toString'])).toBeNull();
  });
});

describe('registerCommands', () => {
  it('lists every command with its description in one order, loading only the invoked one', async () => {
    const help = await build(['--help']);
    expect(help.commands.map((c) => [c.name(), c.description()])).toEqual(Object.entries(ABOUT));
    expect(help.commands.every((c) => c.commands.length === 0 && c.options.length === 0)).toBe(true);

    const sources = await build(['sources', 'list']);
    expect(sources.commands.map((c) => c.name())).toEqual(Object.keys(ABOUT));
    expect(sources.commands.find((c) => c.name() === 'sources')!.commands.map((c) => c.name())).toEqual(['create', 'list', 'revoke']);
    expect(sources.commands.find((c) => c.name() === 'users')!.commands).toEqual([]);
  });

  it('registers backup and restore together, from the one module that has both', async () => {
    const program = await build(['restore', 'file.revloop']);
    const restore = program.commands.find((c) => c.name() === 'restore')!;
    const backup = program.commands.find((c) => c.name() === 'backup')!;
    expect(restore.registeredArguments.map((a) => a.name())).toEqual(['file']);
    expect(backup.options.length).toBeGreaterThan(0);
    expect(program.commands.filter((c) => c.name() === 'restore')).toHaveLength(1);
  });
});
