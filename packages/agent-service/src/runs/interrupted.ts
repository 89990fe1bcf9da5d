/** What an interrupted run's error step and event say (a replica stopped while it ran). */
export const INTERRUPTED_MESSAGE =
  'The run was interrupted: the replica running it stopped before it finished.';
