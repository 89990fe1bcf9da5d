/**
 * The platform's user roles. Matching is exact and case-sensitive: there is no
 * hierarchy, so ADMIN does not imply REGULAR unless a rule names both.
 */
export const ROLES = ['INACTIVE', 'RESTRICTED', 'REGULAR', 'ADMIN'] as const;

export type Role = (typeof ROLES)[number];

/** Roles allowed on every `/api/agents` path (Phase 1 policy). */
export const AGENT_ROLES = ['REGULAR', 'ADMIN'] as const satisfies readonly Role[];

/**
 * True when `value` is exactly one of the platform's role names.
 * @example isRole('REGULAR') // true; isRole('regular') // false
 */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Mirrors the platform's `SessionUser.isRoleOf`: true when the user's role is one of `roles`.
 * @example isRoleOf({ role: 'ADMIN' }, AGENT_ROLES) // true
 */
export function isRoleOf(user: { readonly role: Role }, roles: readonly Role[]): boolean {
  return roles.includes(user.role);
}

/**
 * The agent-path rule: only REGULAR and ADMIN users may use agents.
 * @example mayUseAgents({ role: 'RESTRICTED' }) // false
 */
export function mayUseAgents(user: { readonly role: Role }): boolean {
  return isRoleOf(user, AGENT_ROLES);
}
