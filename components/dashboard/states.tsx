"use client";
// Loading, empty and error states shared by every dashboard panel.
export function Loading({ label, height = 160 }: { label: string; height?: number }) {
  return (
    <div aria-busy="true" aria-live="polite" data-testid="loading">
      <p className="visually-hidden">{label}</p>
      <div className="skeleton" style={{ height }} />
    </div>
  );
}

export function ErrorState({ what, error, retry }: { what: string; error: Error; retry: () => void }) {
  return (
    <div className="alert" role="alert" data-testid="error">
      <p style={{ margin: "0 0 0.5rem" }}>
        Could not load {what}: {error.message}
      </p>
      <button className="btn" type="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="panel empty" data-testid="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}
