import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';

// Every test starts at the app's root address (the router reads the real jsdom location).
beforeEach(() => window.history.replaceState(null, '', '/'));
// Testing Library only auto-cleans with vitest globals on; this repo keeps them off.
afterEach(() => cleanup());
