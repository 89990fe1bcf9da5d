/** A configuration problem, in one sentence that names the variable to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A service could not bind its address, in one sentence naming the variable to change. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}
