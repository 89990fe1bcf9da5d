import { useId } from 'react';
import { ModalDialog } from './modal-dialog.js';

/**
 * A yes/no question in a modal dialog. Focus starts on the safe answer (cancel); Escape cancels.
 * @example <ConfirmDialog title="Delete “helper”?" confirmLabel="Yes, delete" onConfirm={remove} onCancel={close} />
 */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  cancelLabel = 'Cancel',
  danger = false,
  busy = false,
  onConfirm,
  onCancel,
}: {
  title: string;
  body?: string;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const bodyId = useId();
  return (
    <ModalDialog labelledBy={titleId} describedBy={body ? bodyId : undefined} onCancel={onCancel}>
      <div className="card confirm-dialog">
        <h2 id={titleId}>{title}</h2>
        {body ? (
          <p id={bodyId} className="muted">
            {body}
          </p>
        ) : null}
        <div className="actions actions-end">
          <button type="button" className="secondary" onClick={onCancel} data-autofocus>
            {cancelLabel}
          </button>
          <button
            type="button"
            className={danger ? 'danger' : undefined}
            onClick={onConfirm}
            disabled={busy}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
