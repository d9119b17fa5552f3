import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONFIG_SPEC, loadConfig } from './config.ts';

describe('config', () => {
  it('every setting has a default that validates', () => {
    const c = loadConfig({});
    expect(c.symbols).toContain('AAPL');
    expect(c.dashboardPort).toBe(8080);
    expect(c.source).toBe('auto');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads and coerces environment variables', () => {
    const c = loadConfig({ STOCKSTREAMER_SYMBOLS: 'tsla, NVDA ,', STOCKSTREAMER_DASHBOARD_PORT: '9000' });
    expect(c.symbols).toEqual(['tsla', 'NVDA']);
    expect(c.dashboardPort).toBe(9000);
  });

  it('stops on an unknown STOCKSTREAMER_ variable, naming it', () => {
    expect(() => loadConfig({ STOCKSTREAMER_SYMBOL: 'AAPL' })).toThrow(/unknown setting STOCKSTREAMER_SYMBOL /);
  });

  it('stops on a malformed value, naming the variable', () => {
    expect(() => loadConfig({ STOCKSTREAMER_DASHBOARD_PORT: 'eighty' })).toThrow(/^STOCKSTREAMER_DASHBOARD_PORT="eighty" is invalid/);
    expect(() => loadConfig({ STOCKSTREAMER_SOURCE: 'magic' })).toThrow(/STOCKSTREAMER_SOURCE/);
  });

  it('ignores variables of other programs', () => {
    expect(() => loadConfig({ PATH: '/bin', HOME: '/root' })).not.toThrow();
  });

  it('the README documents every setting', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const name of Object.keys(CONFIG_SPEC)) expect(readme, name).toContain(name);
  });
});
