import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import type { MachineFacts } from './result.js';

/**
 * What the figures depend on besides the code: CPU, cores, memory, versions, the commit, and
 * how busy the machine was. The load average is taken again at the end of the run.
 * @example const facts = machineFacts(repoRoot, nginxBin)
 */
export function machineFacts(
  repoRoot: string,
  nginx: string,
): Omit<MachineFacts, 'loadAverageEnd'> {
  const git = (...args: string[]) =>
    spawnSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const nginxVersion = spawnSync(nginx, ['-v'], { encoding: 'utf8' });
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    node: process.version,
    nginx: `${nginxVersion.stderr ?? ''}${nginxVersion.stdout ?? ''}`
      .trim()
      .replace(/^nginx version: (nginx\/)?/, ''),
    autocannon: autocannonVersion(),
    tmpFilesystem: filesystemOf(tmpdir()),
    gitCommit: git('rev-parse', 'HEAD') || 'unknown',
    gitDirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    loadAverageStart: loadavg(),
  };
}

// The nginx prefixes (and their auth-cache directories) live under the temp directory: a cache
// miss creates a file there, which costs far more on a disk-backed filesystem than on tmpfs.
function filesystemOf(dir: string): string {
  const stat = spawnSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' });
  return `${dir} (${stat.status === 0 ? stat.stdout.trim() : 'unknown filesystem'})`;
}

function autocannonVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('autocannon/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
