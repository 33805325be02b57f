"use client";

import { useState } from "react";

/** A destructive button that asks once more inline (no modal, keyboard-friendly). */
export function ConfirmButton({
  label,
  confirmLabel,
  onConfirm,
  disabled,
  accessibleName,
}: {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  accessibleName?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="btn btn-small btn-danger" disabled={disabled} aria-label={accessibleName} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="row-actions">
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={disabled}
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="btn btn-small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
