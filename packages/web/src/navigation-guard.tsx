import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useLocation, useSearch } from 'wouter';
import { ConfirmDialog } from './ui/confirm-dialog.js';

interface Guard {
  /** Marks (or clears) unsaved changes under a name, e.g. an agent's settings form. */
  setDirty(owner: string, dirty: boolean): void;
  /** Runs `action` now, or after the user agreed to drop unsaved changes. */
  guarded(action: () => void): void;
  /** Goes to an address of the app, asking first when that would drop unsaved changes. */
  navigate(to: string, options?: { replace?: boolean }): void;
}

const GuardContext = createContext<Guard | null>(null);

/**
 * Set while there are unsaved changes; true when it took over a Back/Forward. Listened for from
 * the moment this module loads, so before the router's own listener (which would otherwise render
 * the new address, and drop the changes, first).
 */
let interceptBack: (() => boolean) | null = null;
if (typeof window !== 'undefined') {
  window.addEventListener('popstate', (event) => {
    if (interceptBack?.()) event.stopImmediatePropagation();
  });
}

/**
 * Keeps unsaved changes from being dropped silently: in-app navigation (tabs, other agents, sign
 * out) and Back/Forward ask first, and leaving or reloading the page gets the browser's own
 * warning.
 */
export function NavigationGuardProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useLocation();
  const search = useSearch();
  const dirty = useRef(new Set<string>());
  const [pending, setPending] = useState<(() => void) | null>(null);
  const [anyDirty, setAnyDirty] = useState(false);

  const setDirty = useCallback((owner: string, isDirty: boolean) => {
    if (isDirty) dirty.current.add(owner);
    else dirty.current.delete(owner);
    setAnyDirty(dirty.current.size > 0);
  }, []);
  const guarded = useCallback((action: () => void) => {
    if (dirty.current.size === 0) action();
    else setPending(() => action);
  }, []);
  const navigate = useCallback(
    (to: string, options?: { replace?: boolean }) => guarded(() => setLocation(to, options)),
    [guarded, setLocation],
  );

  useEffect(() => {
    if (!anyDirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [anyDirty]);

  // Back and Forward cannot be cancelled: put back the address this page shows (the router has
  // not rendered the new one yet) and ask; agreeing goes where the reader wanted.
  const shown = useRef('');
  shown.current = `${location}${search ? `?${search}` : ''}`;
  useEffect(() => {
    interceptBack = () => {
      if (dirty.current.size === 0) return false;
      const wanted = `${window.location.pathname}${window.location.search}`;
      window.history.pushState(window.history.state, '', shown.current);
      setPending(() => () => setLocation(wanted));
      return true;
    };
    return () => {
      interceptBack = null;
    };
  }, [setLocation]);

  const value = useMemo(() => ({ setDirty, guarded, navigate }), [setDirty, guarded, navigate]);
  return (
    <GuardContext.Provider value={value}>
      {children}
      {pending ? (
        <ConfirmDialog
          title="Discard unsaved changes?"
          body="Your changes to the settings have not been saved."
          cancelLabel="Keep editing"
          confirmLabel="Discard changes"
          danger
          onCancel={() => setPending(null)}
          onConfirm={() => {
            dirty.current.clear();
            setAnyDirty(false);
            setPending(null);
            pending();
          }}
        />
      ) : null}
    </GuardContext.Provider>
  );
}

/**
 * The guard of the surrounding `<NavigationGuardProvider>`.
 * @example const { navigate } = useGuard(); navigate(paths.chat(id))
 */
export function useGuard(): Guard {
  const guard = useContext(GuardContext);
  if (guard === null)
    throw new Error('useGuard() is only available inside <NavigationGuardProvider>.');
  return guard;
}
