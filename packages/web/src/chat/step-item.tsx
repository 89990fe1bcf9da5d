import type { Step } from '@agentauth/agent-api';

/** Tool arguments arrive as the model's raw JSON string; show them pretty when they parse. */
function prettyJson(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

/** One completed step of a run. */
export function StepItem({ step }: { step: Step }) {
  switch (step.kind) {
    case 'prompt':
      return (
        <li className="step prompt">
          <span className="step-label">You</span>
          <p>{step.text}</p>
        </li>
      );
    case 'model_text':
      return (
        <li className="step model-text">
          <span className="step-label">Agent</span>
          <p>{step.text}</p>
        </li>
      );
    case 'tool_call':
      return (
        <li className="step tool-call">
          <span className="step-label">Tool call · {step.tool}</span>
          <pre>
            <code>{prettyJson(step.arguments)}</code>
          </pre>
        </li>
      );
    case 'tool_result':
      return (
        <li className={`step tool-result${step.ok ? '' : ' failed'}`}>
          <span className="step-label">
            Tool result · {step.tool}
            {step.ok ? '' : ' (failed)'}
          </span>
          <pre>
            <code>{step.output}</code>
          </pre>
        </li>
      );
    case 'final_answer':
      return (
        <li className="step final-answer">
          <span className="step-label">Answer</span>
          <p>{step.text}</p>
        </li>
      );
    case 'error':
      return (
        <li className="step step-error">
          <span className="step-label">Error · {step.code}</span>
          <p>{step.message}</p>
        </li>
      );
  }
}
