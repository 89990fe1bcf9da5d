const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/**
 * Parses a duration such as `90`, `90s`, `15m`, `1h` or `7d` into whole seconds.
 * Throws a RangeError with one clear sentence for anything else.
 * @example parseDuration('1h') // 3600
 */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) {
    throw new RangeError(
      `"${text}" is not a duration: use a whole number followed by s, m, h or d (e.g. 1h).`,
    );
  }
  const unit = (match[2] || 's') as keyof typeof UNIT_SECONDS;
  return Number(match[1]) * UNIT_SECONDS[unit];
}
