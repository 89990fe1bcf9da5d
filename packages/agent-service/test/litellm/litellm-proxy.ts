import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Child,
  reservePort,
  startChild,
  waitHealthy,
} from '@agentauth/service-runtime/process';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../../..');

/** Where `scripts/setup litellm` installs the proxy (AGENTAUTH_TOOLS, default `<repo>/.tools`). */
export function litellmBinary(): string {
  const tools = process.env.AGENTAUTH_TOOLS ?? join(REPO, '.tools');
  return join(tools, 'litellm', 'bin', 'litellm');
}

/** One call as LiteLLM itself recorded it (its standard logging payload, via our callback). */
export interface LiteLlmRecord {
  readonly status: 'success' | 'failure';
  readonly end_user: string | null;
  readonly requester_metadata: Record<string, unknown> | null;
  readonly model: string | null;
  readonly prompt_tokens: number | null;
  readonly completion_tokens: number | null;
}

export interface LiteLlmProxy {
  /** OpenAI-style API root, e.g. `http://127.0.0.1:4123/v1`. */
  readonly baseUrl: string;
  /** The one shared key the agent-service uses (the proxy's master key). */
  readonly apiKey: string;
  /** Every call LiteLLM logged so far. */
  records(): LiteLlmRecord[];
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real LiteLLM proxy (PyPI `litellm[proxy]`) on loopback in front of `upstream` (an
 * OpenAI-compatible root such as the dev model server's `…/v1`), with a generated config: the
 * upstream's `dev-model` as one model group, a master key, no database, and a callback that
 * records LiteLLM's own attribution of each call. Fails with an install hint when LiteLLM is
 * missing.
 * @example const proxy = await startLiteLlm(`${devUrl}/v1`)
 */
export async function startLiteLlm(upstream: string): Promise<LiteLlmProxy> {
  const binary = litellmBinary();
  if (!existsSync(binary)) {
    throw new Error(
      `LiteLLM is not installed at ${binary}: run \`bash scripts/setup litellm\` (installs PyPI litellm[proxy] into a virtual environment under .tools).`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'agentauth-litellm-'));
  const log = join(dir, 'calls.jsonl');
  const apiKey = `sk-agentauth-test-${crypto.randomUUID()}`;
  copyFileSync(join(HERE, 'usage_recorder.py'), join(dir, 'usage_recorder.py'));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'model_list:',
      '  - model_name: dev-model',
      '    litellm_params:',
      '      model: openai/dev-model',
      `      api_base: ${upstream}`,
      '      api_key: dev-model-needs-no-key',
      'litellm_settings:',
      '  callbacks: ["usage_recorder.recorder"]',
      '  drop_params: false',
      'general_settings:',
      `  master_key: ${apiKey}`,
      '',
    ].join('\n'),
  );
  // Held while the proxy runs: uvicorn binds it beside the reservation (SO_REUSEADDR).
  const reservation = reservePort();
  const { port } = reservation;
  let output = '';
  const child: Child = startChild(
    {
      name: 'litellm',
      command: binary,
      args: [
        '--config',
        config,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--num_workers',
        '1',
      ],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        AGENTAUTH_LITELLM_LOG: log,
        // Offline and quiet: the bundled model price map, no telemetry, no database.
        LITELLM_LOCAL_MODEL_COST_MAP: 'True',
        LITELLM_TELEMETRY: 'False',
        LITELLM_LOG: 'ERROR',
        NO_PROXY: '127.0.0.1,localhost',
      },
      cwd: dir,
    },
    (line) => {
      output = `${output}${line}\n`.slice(-20_000);
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(`${baseUrl}/health/liveliness`, child, { timeoutMs: 120_000 });
  } catch (error) {
    await child.stop(5_000);
    reservation.release();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${output.split(apiKey).join('[REDACTED]')}`);
  }
  return {
    baseUrl: `${baseUrl}/v1`,
    apiKey,
    records: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as LiteLlmRecord)
        : [],
    output: () => output.split(apiKey).join('[REDACTED]'),
    async stop() {
      await child.stop(10_000);
      reservation.release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
