/** Reads an SSE response into its `data:` payloads (test helper). */
export async function readSse(res: Response): Promise<string[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

/** A response body as loosely typed JSON (test helper: assertions do the checking). */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
export const json = (res: Response): Promise<any> => res.json();
