"use client";

// A table row's action buttons (Run now, Edit, Enable/Disable, …) and its destructive action (Delete,
// Revoke, Remove), which asks once more inline.
import { ConfirmButton } from "./confirm-button";

export type RowButton = { label: string; onClick: () => void; disabled?: boolean; accessibleName?: string; expanded?: boolean };
export type RowConfirm = { label: string; confirmLabel: string; onConfirm: () => void; disabled?: boolean; accessibleName?: string };

/** "Delete" / "Confirm delete", named "Delete <target>" for assistive technology. */
export function confirmAction(verb: string, target: string, onConfirm: () => void, disabled?: boolean): RowConfirm {
  return { label: verb, confirmLabel: `Confirm ${verb.toLowerCase()}`, accessibleName: `${verb} ${target}`, onConfirm, disabled };
}

function RowButtonView({ b }: { b: RowButton }) {
  return (
    <button type="button" className="btn btn-small" disabled={b.disabled} aria-label={b.accessibleName} aria-expanded={b.expanded} onClick={b.onClick}>
      {b.label}
    </button>
  );
}

export function RowActions({ buttons = [], confirm, after = [] }: { buttons?: RowButton[]; confirm?: RowConfirm | null; after?: RowButton[] }) {
  return (
    <span className="row-actions">
      {buttons.map((b) => (
        <RowButtonView key={b.label} b={b} />
      ))}
      {confirm ? <ConfirmButton {...confirm} /> : null}
      {after.map((b) => (
        <RowButtonView key={b.label} b={b} />
      ))}
    </span>
  );
}

/** The buttons of a connector's row: "<verb> now", Edit, Enable/Disable. */
export function connectorButtons(c: { name: string; enabled: boolean }, o: { verb: "Run" | "Pull"; running: boolean; onRun: () => void; onEdit: () => void; onToggle: () => void; toggleDisabled: boolean }): RowButton[] {
  return [
    { label: `${o.verb} now`, accessibleName: `${o.verb} ${c.name} now`, disabled: o.running || !c.enabled, onClick: o.onRun },
    { label: "Edit", accessibleName: `Edit ${c.name}`, onClick: o.onEdit },
    { label: c.enabled ? "Disable" : "Enable", accessibleName: `${c.enabled ? "Disable" : "Enable"} ${c.name}`, disabled: o.toggleDisabled, onClick: o.onToggle },
  ];
}
