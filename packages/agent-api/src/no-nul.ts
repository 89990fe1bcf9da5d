/**
 * Text the service stores must not contain U+0000: PostgreSQL cannot keep it in a text or jsonb
 * value, so both stores refuse it up front with the same clear message instead of failing late.
 * @example z.string().refine(hasNoNul, 'name must not contain NUL characters.')
 */
export const hasNoNul = (value: string): boolean => !value.includes('\u0000');
