"use client";

// What the telemetry connectors panel and the bill sources panel share: formatting, the form's save /
// "Test connection" mutations and buttons, and the row mutations (enable/disable, delete, run now).
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import type { Message } from "../status-message";

export type ConnectionTest = { ok: true; details: Record<string, unknown>; ms: number } | { ok: false; error: string; ms: number };

/** 95 → "1 min 35 s"; 7200 → "2 h"; 200000 → "2 d 7 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const r = s % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  return h ? `${d} d ${h} h` : `${d} d`;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" }).format(new Date(value)) + " UTC";
}

export function truncate(text: string, n = 80): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/** The connector form's "Save" and "Test connection" mutations, the save error and the last test's result. */
export function useConnectorForm<V>(o: { editing: boolean; save: (v: V) => Promise<{ name: string }>; test: (v: V) => Promise<ConnectionTest>; onDone: (text: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const save = useMutation({
    mutationFn: o.save,
    onSuccess: (c) => {
      setError(null);
      o.onDone(o.editing ? `Saved ${c.name}` : `Added ${c.name}`);
    },
    onError: (e: Error) => setError(e.message),
  });
  const testMut = useMutation({
    mutationFn: o.test,
    onMutate: () => setTest(null),
    onSuccess: (t) => {
      setError(null);
      setTest(t);
    },
    onError: (e: Error) => setTest({ ok: false, error: e.message, ms: 0 }),
  });
  return { save, testMut, error, test, setTest };
}

/** The form's buttons (Test connection, Save/Add, Cancel when editing) and the test's result. */
export function ConnectorFormFooter<V>({
  form,
  read,
  editing,
  addLabel,
  onCancel,
  testId,
  okDetails,
}: {
  form: ReturnType<typeof useConnectorForm<V>>;
  read: (f: HTMLFormElement) => V;
  editing: boolean;
  addLabel: string;
  onCancel: () => void;
  testId: string;
  okDetails: (details: Record<string, unknown>) => string;
}) {
  const { save, testMut, error, test } = form;
  return (
    <>
      <div className="row-actions" style={{ marginTop: "0.75rem" }}>
        <button
          type="button"
          className="btn"
          disabled={testMut.isPending}
          onClick={(e) => {
            const f = e.currentTarget.form;
            if (!f || !f.reportValidity()) return;
            testMut.mutate(read(f));
          }}
        >
          {testMut.isPending ? "Testing…" : "Test connection"}
        </button>
        <button className="btn btn-primary" type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : editing ? "Save" : addLabel}
        </button>
        {editing ? (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      <div aria-live="polite">
        {test ? (
          test.ok ? (
            <p className="notice" role="status" data-testid={testId}>
              Connection OK ({test.ms} ms){okDetails(test.details)}
            </p>
          ) : (
            <p className="alert" role="alert" data-testid={testId}>
              Connection failed: {test.error}
            </p>
          )
        ) : null}
        {error ? (
          <p className="alert" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </>
  );
}

type Target = { connectorId: string; name: string };

/** A connector row's mutations: enable/disable, delete and "run now", each saying what it did. */
export function useConnectorMutations(o: {
  setEnabled: (connectorId: string, enabled: boolean) => Promise<unknown>;
  remove: (connectorId: string) => Promise<unknown>;
  run: (connectorId: string) => Promise<{ requestedAt: string }>;
  runQueued: (name: string) => string;
  setMessage: (m: Message) => void;
  refresh: () => Promise<void>;
  onDeleted?: (connectorId: string) => void;
  onRunQueued: (connectorId: string, requestedAt: string) => void;
}) {
  const onError = (e: Error) => o.setMessage({ kind: "error", text: e.message });
  const toggleMut = useMutation({
    mutationFn: (v: Target & { enabled: boolean }) => o.setEnabled(v.connectorId, v.enabled),
    onSuccess: (_d, v) => {
      o.setMessage({ kind: "ok", text: `${v.enabled ? "Enabled" : "Disabled"} ${v.name}` });
      void o.refresh();
    },
    onError,
  });
  const deleteMut = useMutation({
    mutationFn: (v: Target) => o.remove(v.connectorId),
    onSuccess: (_d, v) => {
      o.setMessage({ kind: "ok", text: `Deleted ${v.name}` });
      o.onDeleted?.(v.connectorId);
      void o.refresh();
    },
    onError,
  });
  const runMut = useMutation({
    mutationFn: (v: Target) => o.run(v.connectorId),
    onSuccess: (d, v) => {
      o.setMessage({ kind: "ok", text: o.runQueued(v.name) });
      o.onRunQueued(v.connectorId, d.requestedAt);
    },
    onError,
  });
  return { toggleMut, deleteMut, runMut };
}

/**
 * Which connector the form edits (none: the form adds one). After a save or a cancel the form closes,
 * says what it did, and a new empty form (a new key) replaces it.
 */
export function useEditSlot(o: { setMessage: (m: Message) => void; refresh: () => Promise<void> }) {
  const [editingId, setEditingId] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const keyFor = (editing: { id: string } | null) => (editing ? `edit-${editing.id}` : `new-${formKey}`);
  const onDone = (text: string) => {
    if (text) o.setMessage({ kind: "ok", text });
    setEditingId(null);
    setFormKey((k) => k + 1);
    void o.refresh();
  };
  return { editingId, setEditingId, keyFor, onDone };
}
