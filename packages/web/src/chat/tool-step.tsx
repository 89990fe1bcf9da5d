import { toolLabel } from '../agents/tool-labels.js';
import { formatDuration, Timestamp } from '../ui/timestamp.js';
import type { ToolUse } from './runs.js';

/** Tool arguments arrive as the model's raw JSON string; show them pretty when they parse. */
function prettyJson(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

/**
 * One tool call and its result, collapsed to a line ("Used Calculator · done in 3 ms · 14:05");
 * open it to see the arguments and the output.
 */
export function ToolStep({ use }: { use: ToolUse }) {
  const { call, result } = use;
  const name = toolLabel(call.tool);
  const state = result === undefined ? 'running…' : result.ok ? 'done' : 'failed';
  const took =
    result === undefined ? '' : formatDuration(Date.parse(result.at) - Date.parse(call.at));
  return (
    <li className={`step tool-step${result && !result.ok ? ' failed' : ''}`}>
      <details>
        <summary>
          <span className="tool-name">Used {name}</span>
          <span className="muted small">
            {' · '}
            {state}
            {took ? ` in ${took}` : ''}
            {' · '}
            <Timestamp at={call.at} seconds />
          </span>
        </summary>
        <div className="tool-body">
          <p className="step-label io-label">Input</p>
          <pre>
            <code>{prettyJson(call.arguments)}</code>
          </pre>
          {result ? (
            <>
              <p className="step-label io-label">{result.ok ? 'Result' : 'Error'}</p>
              <pre>
                <code>{result.output}</code>
              </pre>
            </>
          ) : null}
        </div>
      </details>
    </li>
  );
}
