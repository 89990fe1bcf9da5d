import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** This package's folder (holds pom.xml and, once built, target/). */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const INSTALL_HINT = 'run `bash scripts/setup jose4j` from the repository root';

/** A user as the platform's issuer receives it. */
export interface PlatformUser {
  readonly name: string;
  readonly uid: number;
  readonly email: string | null;
  readonly role: string;
  readonly googleId?: string | null;
  readonly googleAvatar?: string | null;
}

/** What jose4j, configured as the platform's JwtConsumer, says about a token. */
export type OracleVerdict =
  | {
      readonly ok: true;
      readonly user: { name: string; uid: number; email: string | null; role: string };
      readonly exp: number;
    }
  | { readonly ok: false; readonly error: string };

/** One long-lived JVM running the platform's jose4j issuer and verifier. */
export interface Oracle {
  mint(secret: string, user: PlatformUser, expiryMinutes: number, now: number): Promise<string>;
  verify(secret: string, token: string, now: number): Promise<OracleVerdict>;
  close(): Promise<void>;
}

/**
 * Starts the Java oracle (compiled by `mvn compile` into target/), answering one JSON line per
 * request. Throws with the install hint when Java or the build is missing.
 * @example const oracle = await startOracle(); await oracle.verify(secret, token, nowSeconds)
 */
export async function startOracle(): Promise<Oracle> {
  const classes = join(PACKAGE_DIR, 'target', 'classes');
  if (!existsSync(join(classes, 'dev/agentauth/oracle/Oracle.class')))
    throw new Error(`The jose4j oracle is not built (target/classes): ${INSTALL_HINT}.`);
  const classpath = [classes, join(PACKAGE_DIR, 'target', 'lib', '*')].join(':');
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  // A small heap and no JIT warm-up tricks: the run is a few hundred short requests.
  const child: ChildProcessWithoutNullStreams = spawn(
    java,
    [
      '-Xmx128m',
      '-XX:TieredStopAtLevel=1',
      '-Xshare:auto',
      '-cp',
      classpath,
      'dev.agentauth.oracle.Oracle',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (e) =>
      reject(new Error(`Cannot start java (${e.message}): ${INSTALL_HINT}.`)),
    );
  });
  await spawned;
  const waiting: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(line));
  child.once('exit', (code) => {
    for (const w of waiting.splice(0))
      w.reject(new Error(`The oracle exited (${code}): ${stderr}`));
  });
  // Requests are answered in order, so a queue of pending answers pairs them up.
  const ask = (request: object): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve: (line) => resolve(JSON.parse(line)), reject });
      child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  return {
    async mint(secret, user, expiryMinutes, now) {
      const answer = await ask({ op: 'mint', secret, user, expiryMinutes, now });
      if (typeof answer.token !== 'string') throw new Error(`mint failed: ${answer.error}`);
      return answer.token;
    },
    async verify(secret, token, now) {
      return (await ask({ op: 'verify', secret, token, now })) as OracleVerdict;
    },
    async close() {
      child.stdin.end();
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}
