import { spawnSync } from 'node:child_process';
import { INSTALL_HINT, PACKAGE_DIR } from '../src/oracle-process.js';

/** vitest global setup: `mvn -o compile` the oracle and copy jose4j beside it (target/lib). */
export default function buildOracle(): void {
  const mvn = spawnSync(
    'mvn',
    ['-B', '-q', '-o', 'compile', 'dependency:copy-dependencies', '-DoutputDirectory=target/lib'],
    { cwd: PACKAGE_DIR, encoding: 'utf8' },
  );
  if (mvn.error) throw new Error(`Maven is not installed (${mvn.error.message}): ${INSTALL_HINT}.`);
  if (mvn.status !== 0)
    throw new Error(
      `Building the jose4j oracle failed (offline; is the Maven cache filled?): ${INSTALL_HINT}.\n${mvn.stdout}${mvn.stderr}`,
    );
}
