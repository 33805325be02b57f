"use client";
// The idle-GPU heatmap drawn on one canvas with virtualized rows: only the rows in view are painted
// (1,024 GPUs × 720 hours is 737,280 cells; painting ~40 rows × 720 per scroll frame stays smooth).
// Keyboard: the grid is one focusable region; arrow keys move the cell cursor (Page Up/Down by a
// screen, Home/End along the row), Enter opens the GPU's detail; the cursor's cell is announced.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { HeatmapGpu } from "@/lib/domain/fleet";
import { GAP_COLOR, IDLE_COLOR, NONE_COLOR, cellKind, utilColor } from "./heatmap-colors";

export type HeatmapRow = { kind: "group"; label: string } | { kind: "gpu"; index: number };

const ROW_H = 14;
const LABEL_W = 200;
const HEADER_H = 22;

type Props = {
  rows: HeatmapRow[];
  gpus: HeatmapGpu[];
  cells: Int16Array;
  columns: number;
  columnStart: number;
  columnMs: number;
  idleThreshold: number;
  onOpen: (gpu: HeatmapGpu) => void;
  onCell: (cell: { gpu: HeatmapGpu; column: number; value: number; x: number; y: number } | null) => void;
  height?: number;
};

let hatch: CanvasPattern | null = null;
function gapPattern(ctx: CanvasRenderingContext2D): CanvasPattern | string {
  if (hatch) return hatch;
  const c = document.createElement("canvas");
  c.width = 4;
  c.height = 4;
  const g = c.getContext("2d");
  if (!g) return GAP_COLOR;
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, 4, 4);
  g.strokeStyle = GAP_COLOR;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(0, 4);
  g.lineTo(4, 0);
  g.stroke();
  hatch = ctx.createPattern(c, "repeat");
  return hatch ?? GAP_COLOR;
}

export function HeatmapCanvas({ rows, gpus, cells, columns, columnStart, columnMs, idleThreshold, onOpen, onCell, height = 560 }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(1000);
  const [scrollTop, setScrollTop] = useState(0);
  const [cursor, setCursor] = useState<{ row: number; col: number } | null>(null);
  const viewH = Math.min(height, HEADER_H + rows.length * ROW_H + 2);
  const cellW = Math.max(1, (width - LABEL_W) / columns);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  // Paint the visible rows.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.floor(width * dpr);
    canvas.height = Math.floor(viewH * dpr);
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, viewH);
    const first = Math.max(0, Math.floor(scrollTop / ROW_H));
    const last = Math.min(rows.length, Math.ceil((scrollTop + viewH - HEADER_H) / ROW_H));
    const gap = gapPattern(ctx);
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    for (let r = first; r < last; r++) {
      const row = rows[r]!;
      const y = HEADER_H + r * ROW_H - scrollTop;
      if (row.kind === "group") {
        ctx.fillStyle = "#e5e7eb";
        ctx.fillRect(0, y, width, ROW_H);
        ctx.fillStyle = "#111827";
        ctx.font = "bold 11px system-ui, sans-serif";
        ctx.fillText(row.label, 4, y + ROW_H / 2);
        ctx.font = "11px system-ui, sans-serif";
        continue;
      }
      const gpu = gpus[row.index]!;
      ctx.fillStyle = "#111827";
      ctx.fillText(gpu.label.length > 30 ? `${gpu.label.slice(0, 29)}…` : gpu.label, 4, y + ROW_H / 2, LABEL_W - 8);
      const base = row.index * columns;
      for (let c = 0; c < columns; c++) {
        const v = cells[base + c]!;
        const kind = cellKind(v, idleThreshold);
        ctx.fillStyle = kind === "none" ? NONE_COLOR : kind === "gap" ? gap : kind === "idle" ? IDLE_COLOR : utilColor(v);
        const x = LABEL_W + c * cellW;
        ctx.fillRect(x, y + 1, Math.max(1, cellW - (cellW > 3 ? 0.5 : 0)), ROW_H - 2);
      }
    }
    if (cursor && cursor.row >= first && cursor.row < last) {
      ctx.strokeStyle = "#111827";
      ctx.lineWidth = 2;
      ctx.strokeRect(LABEL_W + cursor.col * cellW - 1, HEADER_H + cursor.row * ROW_H - scrollTop, Math.max(3, cellW + 2), ROW_H);
    }
    // Header: day ticks over the columns.
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, HEADER_H);
    ctx.fillStyle = "#374151";
    const perDay = columnMs === 3_600_000 ? 24 : 1;
    const days = columns / perDay;
    const step = Math.max(1, Math.ceil(days / Math.max(1, (width - LABEL_W) / 70)));
    for (let d = 0; d * perDay < columns; d += step) {
      const x = LABEL_W + d * perDay * cellW;
      const t = new Date(columnStart + d * perDay * columnMs);
      ctx.fillRect(x, HEADER_H - 5, 1, 5);
      ctx.fillText(t.toISOString().slice(5, perDay === 24 && columns <= 48 ? 16 : 10).replace("T", " "), x + 2, HEADER_H / 2 - 1);
    }
    ctx.fillText(columnMs === 3_600_000 ? "GPU  (hours, UTC)" : "GPU  (days, UTC)", 4, HEADER_H / 2 - 1);
    // One attribute the benchmark and tests read: painted rows and the data they were painted from.
    canvas.dataset.painted = `${rows.length}x${columns}`;
  }, [rows, gpus, cells, columns, columnStart, columnMs, idleThreshold, width, viewH, scrollTop, cursor, cellW]);

  const hit = useCallback(
    (clientX: number, clientY: number) => {
      const canvas = canvasRef.current;
      if (!canvas) return null;
      const rect = canvas.getBoundingClientRect();
      const x = clientX - rect.left;
      const y = clientY - rect.top - HEADER_H + scrollTop;
      if (y < 0) return null;
      const r = Math.floor(y / ROW_H);
      const row = rows[r];
      if (!row || row.kind !== "gpu") return null;
      const col = x < LABEL_W ? -1 : Math.min(columns - 1, Math.floor((x - LABEL_W) / cellW));
      return { r, row, col, x, y: HEADER_H + r * ROW_H - scrollTop };
    },
    [rows, columns, cellW, scrollTop],
  );

  const moveCursor = (row: number, col: number) => {
    const n = rows.length;
    if (!n) return;
    let r = Math.max(0, Math.min(n - 1, row));
    // Skip group header rows in the direction of travel.
    const dir = row >= (cursor?.row ?? 0) ? 1 : -1;
    while (rows[r] && rows[r]!.kind === "group") r += dir;
    if (!rows[r]) r = Math.max(0, Math.min(n - 1, row - dir));
    const c = Math.max(0, Math.min(columns - 1, col));
    setCursor({ row: r, col: c });
    const el = scrollRef.current;
    if (el) {
      const top = r * ROW_H;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_H > el.scrollTop + viewH - HEADER_H) el.scrollTop = top + ROW_H - (viewH - HEADER_H);
    }
    const row2 = rows[r];
    if (row2?.kind === "gpu") {
      onCell({ gpu: gpus[row2.index]!, column: c, value: cells[row2.index * columns + c]!, x: LABEL_W + c * cellW, y: HEADER_H + r * ROW_H - (el?.scrollTop ?? 0) });
    }
  };

  return (
    <div
      ref={scrollRef}
      className="heatmap-scroll"
      style={{ height: viewH }}
      tabIndex={0}
      role="group"
      aria-label="GPU utilization heatmap. Arrow keys move between GPUs and hours, Enter opens the GPU."
      aria-roledescription="heatmap"
      data-testid="heatmap"
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onMouseMove={(e) => {
        const h = hit(e.clientX, e.clientY);
        if (!h || h.row.kind !== "gpu" || h.col < 0) return onCell(null);
        onCell({ gpu: gpus[h.row.index]!, column: h.col, value: cells[h.row.index * columns + h.col]!, x: h.x, y: h.y });
      }}
      onMouseLeave={() => onCell(null)}
      onClick={(e) => {
        const h = hit(e.clientX, e.clientY);
        if (h && h.row.kind === "gpu") onOpen(gpus[h.row.index]!);
      }}
      onKeyDown={(e) => {
        const cur = cursor ?? { row: rows.findIndex((r) => r.kind === "gpu"), col: columns - 1 };
        const page = Math.max(1, Math.floor((viewH - HEADER_H) / ROW_H) - 1);
        const keys: Record<string, () => void> = {
          ArrowDown: () => moveCursor(cursor ? cur.row + 1 : cur.row, cur.col),
          ArrowUp: () => moveCursor(cur.row - 1, cur.col),
          ArrowRight: () => moveCursor(cur.row, cursor ? cur.col + 1 : cur.col),
          ArrowLeft: () => moveCursor(cur.row, cur.col - 1),
          PageDown: () => moveCursor(cur.row + page, cur.col),
          PageUp: () => moveCursor(cur.row - page, cur.col),
          Home: () => moveCursor(cur.row, 0),
          End: () => moveCursor(cur.row, columns - 1),
          Enter: () => {
            const row = rows[cur.row];
            if (cursor && row?.kind === "gpu") onOpen(gpus[row.index]!);
          },
        };
        const fn = keys[e.key];
        if (fn) {
          e.preventDefault();
          fn();
        }
      }}
    >
      <div style={{ height: HEADER_H + rows.length * ROW_H, position: "relative" }}>
        <canvas ref={canvasRef} style={{ position: "sticky", top: 0, display: "block", width: "100%", height: viewH }} aria-hidden="true" />
      </div>
    </div>
  );
}
