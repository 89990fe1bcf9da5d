/**
 * When a refusal that passes with time (a rate limit, a used-up budget) can be tried again, as a
 * sentence in the reader's locale and time zone: with seconds when it is under two minutes away,
 * with the date when it is not today. Undefined when the service did not say, or it has passed.
 * @example retryWhen(Date.now() + 30_000) // 'You can try again at 14:31:05.'
 */
export function retryWhen(
  retryAt: number | undefined,
  now = Date.now(),
  locale?: string,
  timeZone?: string,
): string | undefined {
  if (retryAt === undefined || retryAt <= now) return undefined;
  const at = new Date(retryAt);
  const day = (d: Date) =>
    new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'short' }).format(d);
  const format = new Intl.DateTimeFormat(locale, {
    timeZone,
    ...(day(at) === day(new Date(now)) ? {} : { dateStyle: 'medium' as const }),
    timeStyle: retryAt - now < 120_000 ? 'medium' : 'short',
  });
  return `You can try again at ${format.format(at)}.`;
}

/** What to say when a refusal that passes with time came without a time. */
const WAIT = {
  ERR_RATE_LIMITED: 'Wait a moment, then try again.',
  ERR_BUDGET_EXCEEDED: 'It renews at midnight UTC.',
} as const;

/** The codes of refusals that pass with time. */
export type WaitCode = keyof typeof WAIT;

export const isWaitCode = (code: string): code is WaitCode => Object.hasOwn(WAIT, code);

/**
 * The closing sentence of a refusal that passes with time: when to try again if the service said
 * (see {@link retryWhen}), the general wait for its kind if not.
 * @example waitSentence('ERR_BUDGET_EXCEEDED', undefined) // 'It renews at midnight UTC.'
 */
export function waitSentence(
  code: WaitCode,
  retryAt: number | undefined,
  now = Date.now(),
): string {
  return retryWhen(retryAt, now) ?? WAIT[code];
}
