/** A configuration problem, in one sentence that names the variable to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A service could not bind its address, in one sentence naming the variable to change. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

// biome-ignore lint/suspicious/noExplicitAny: any constructor of an Error subclass
export type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * Runs a loader whose own configuration errors (`kinds`, e.g. auth-core's SecretConfigError)
 * should reach `main` as a ConfigError with the same sentence.
 * @example const secret = await asConfigError(() => loadSecret(env), [SecretConfigError])
 */
export async function asConfigError<T>(
  load: () => Promise<T> | T,
  kinds: readonly ErrorClass[],
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (kinds.some((kind) => error instanceof kind))
      throw new ConfigError((error as Error).message);
    throw error;
  }
}
