import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A throw-away PostgreSQL cluster for tests and benchmarks, on a Unix socket in a temp dir. */
export interface PostgresServer {
  /** Connection string of the `postgres` database (superuser `agentauth`, no password). */
  readonly url: string;
  readonly dir: string;
  /** The postmaster's pid while it runs (its children are the backends), e.g. to meter CPU. */
  readonly pid: number | undefined;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server, keeping its data (a database outage); `resume` brings it back. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'install it with `bash scripts/setup postgresql` (Debian package postgresql), or set POSTGRES_BIN_DIR';

/** Where initdb and postgres are: POSTGRES_BIN_DIR, else the newest /usr/lib/postgresql/N/bin. */
function findPostgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.POSTGRES_BIN_DIR) candidates.push(process.env.POSTGRES_BIN_DIR);
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  const found = candidates.find(
    (dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')),
  );
  if (!found) {
    throw new Error(
      `The PostgreSQL server (initdb, postgres) was not found in ${candidates.join(', ') || '/usr/lib/postgresql/*/bin'}: ${INSTALL_HINT}.`,
    );
  }
  return found;
}

/**
 * The command prefix that runs the server as an unprivileged user: PostgreSQL refuses to run as
 * root, and CI runs as root, so root runs it as the `postgres` account (made by the Debian
 * package) through setpriv; anyone else runs it as themselves.
 */
function runAs(): { prefix: string[]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error(
      `PostgreSQL refuses to run as root and there is no postgres account to run it as: ${INSTALL_HINT}.`,
    );
  }
  return {
    prefix: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--'],
    uid,
    gid,
  };
}

/**
 * Starts a fresh cluster (initdb in a temp dir, trust auth, a socket in that dir, no TCP
 * listener, durability off for speed) and resolves once it accepts connections.
 * @example const pgServer = await startPostgres(); const url = await pgServer.createDatabase();
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'agentauth-pg-'));
  if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const command = (name: string, args: string[]) => {
    const [head, ...rest] = [...user.prefix, join(bin, name), ...args];
    return { file: head as string, args: rest };
  };
  const init = command('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'agentauth',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  try {
    execFileSync(init.file, init.args, { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`initdb failed: ${stderr || String(error)}`);
  }

  let child: ChildProcess | undefined;
  const boot = () =>
    new Promise<void>((resolve, reject) => {
      const run = command('postgres', [
        '-D',
        data,
        '-k',
        dir,
        '-c',
        'listen_addresses=',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
      ]);
      const proc = spawn(run.file, run.args, { stdio: ['ignore', 'ignore', 'pipe'] });
      child = proc;
      let log = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`postgres did not become ready in 20 s:\n${log}`));
      }, 20_000);
      proc.stderr?.setEncoding('utf8');
      proc.stderr?.on('data', (chunk: string) => {
        log += chunk;
        if (/database system is ready to accept connections/.test(log)) {
          clearTimeout(timer);
          proc.stderr?.removeAllListeners('data');
          proc.stderr?.resume();
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`postgres exited (${code}) before it was ready:\n${log}`));
      });
      proc.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`postgres could not start (${error.message}): ${INSTALL_HINT}.`));
      });
    });
  const halt = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGINT'); // fast shutdown: disconnects clients at once
    await exited;
  };
  await boot().catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });

  const urlFor = (database: string) =>
    `postgres://agentauth@localhost/${database}?host=${encodeURIComponent(dir)}`;
  let databases = 0;
  return {
    url: urlFor('postgres'),
    dir,
    get pid() {
      return child?.pid;
    },
    async createDatabase(name = `agents_${++databases}`) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    pause: halt,
    resume: boot,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
