/** The last lines a set of processes printed, for failure messages. */
export interface OutputBuffer {
  readonly print: (line: string) => void;
  text(): string;
}

/**
 * Keeps the last `max` lines (older ones are dropped, so a chatty process cannot fill memory).
 * @example const out = outputBuffer(); startChild(spec, out.print)
 */
export function outputBuffer(max = 2000): OutputBuffer {
  const lines: string[] = [];
  return {
    print: (line) => {
      lines.push(line);
      if (lines.length > max) lines.splice(0, lines.length - max);
    },
    text: () => lines.join('\n'),
  };
}
