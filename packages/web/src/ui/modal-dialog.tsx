import { type ReactNode, useEffect, useRef } from 'react';

/**
 * A modal dialog on the native `<dialog>` element: `showModal()` centres it, makes the page behind
 * inert, and moves focus into it (to the `autoFocus` control). On close, focus returns to where it
 * was. Escape calls `onCancel`; without one (a dialog that must be answered) Escape does nothing.
 * @example <ModalDialog labelledBy={titleId} onCancel={close}>…</ModalDialog>
 */
export function ModalDialog({
  labelledBy,
  describedBy,
  onCancel,
  className,
  children,
}: {
  labelledBy: string;
  describedBy?: string | undefined;
  onCancel?: (() => void) | undefined;
  className?: string | undefined;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement;
    // jsdom has no showModal(); an open dialog is enough there.
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute('open', '');
    }
    const focusable = dialog.querySelector<HTMLElement>('[autofocus], [data-autofocus]');
    focusable?.focus();
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close();
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={className ? `modal ${className}` : 'modal'}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        onCancel?.();
      }}
    >
      {children}
    </dialog>
  );
}
