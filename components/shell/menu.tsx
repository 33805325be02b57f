"use client";

import { useEffect, useRef } from "react";

/** A disclosure menu on <details>: opens with Enter/Space, closes on Escape or a click outside. */
export function Menu({ label, summaryClassName = "btn", align = "right", testId, children }: {
  label: React.ReactNode;
  testId?: string;
  summaryClassName?: string;
  align?: "left" | "right";
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    function onDown(e: MouseEvent) {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    }
    function onKey(e: KeyboardEvent) {
      if (e.key === "Escape" && ref.current?.open) {
        ref.current.open = false;
        ref.current.querySelector("summary")?.focus();
      }
    }
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, []);
  return (
    <details className="menu" ref={ref} data-testid={testId}>
      <summary className={summaryClassName}>{label}</summary>
      <div className={`menu-panel ${align}`}>{children}</div>
    </details>
  );
}
