import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs, SUITES } from './options.js';

describe('parseBenchArgs', () => {
  it('runs everything at 1, 4 and 16 connections with 10,000 users by default', () => {
    const s = parseBenchArgs([], '/repo');
    expect(s).toMatchObject({
      mode: 'full',
      connections: [1, 4, 16],
      users: 10_000,
      suites: SUITES,
      out: '/repo/bench-results/latest.json',
      profile: false,
    });
    expect(s.runs).toBeGreaterThanOrEqual(3);
  });

  it('shortens every duration with --quick', () => {
    const full = parseBenchArgs([], '/repo');
    const quick = parseBenchArgs(['--quick'], '/repo');
    expect(quick.mode).toBe('quick');
    expect(quick.seconds).toBeLessThanOrEqual(full.seconds);
    expect(quick.runs).toBeLessThan(full.runs);
    expect(quick.users).toBeLessThan(full.users);
    expect(quick.quotaSeconds).toBeLessThan(full.quotaSeconds);
  });

  it('lets explicit options override the preset, keeping the suites in run order', () => {
    const s = parseBenchArgs(
      ['--quick', '--connections', '2,8', '--only', 'gateway,decision', '--out', 'x.json'],
      '/repo',
    );
    expect(s).toMatchObject({
      connections: [2, 8],
      suites: ['decision', 'gateway'],
      out: 'x.json',
    });
  });

  it.each([
    [['--runs', '0'], '--runs must be a whole number of at least 1.'],
    [['--connections', '1,x'], '--connections must be a whole number of at least 1.'],
    [['--only', 'nginx'], '--only takes'],
    [['--users', '1'], '--users must be a whole number of at least 2.'],
    [['--fast'], "Unknown option '--fast'"],
  ])('refuses %j in one sentence', (argv, message) => {
    expect(() => parseBenchArgs(argv, '/repo')).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(argv, '/repo')).toThrow(message);
  });
});
