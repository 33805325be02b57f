"use client";

// Every input of the capacity split, editable: a change recomputes the split at once (a what-if);
// "Save inputs" stores them for the org (and recomputes the stored recommendations); "Save as
// scenario" keeps the what-if under a name.
import { useState } from "react";
import type { ActionResult } from "@/lib/domain/action-result";
import { COMMITMENT_TERMS, type GpuTypeInputs, SPOT_BUCKETS, TERM_LABELS } from "@/lib/recommendations/inputs";
import type { EditableInputs } from "./recommendations-view";

const SOURCE_LABELS: Record<GpuTypeInputs["source"], string> = {
  "public-list-price": "public list price",
  estimate: "estimate",
  observed: "observed in your bills",
  user: "entered by you",
};

function NumberField({ id, label, value, onValue, step = "any", min = 0, max, unit, nullable = false, resetKey }: { id: string; label: string; value: number | null; onValue: (v: number | null) => void; step?: string; min?: number; max?: number; unit: string; nullable?: boolean; resetKey: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} <span className="muted">({unit})</span>
      </label>
      <input
        key={resetKey}
        id={id}
        name={id}
        type="number"
        inputMode="decimal"
        step={step}
        min={min}
        max={max}
        defaultValue={value ?? ""}
        placeholder={nullable ? "none" : undefined}
        onChange={(e) => {
          if (e.target.value === "" && nullable) return onValue(null);
          const v = e.target.valueAsNumber;
          if (Number.isFinite(v)) onValue(v);
        }}
      />
    </div>
  );
}

export function InputsPanel({
  inputs,
  stored,
  currency,
  gpuModels,
  invalid,
  onChange,
  onReset,
  onSave,
  onSaveScenario,
  whatIfHref,
  mayAct,
  defaults,
}: {
  /** Inputs that are defaults computed by the server, not saved by the org (nothing is stored for them). */
  defaults: { global: boolean; gpuTypes: string[] };
  inputs: EditableInputs;
  stored: EditableInputs;
  currency: string;
  gpuModels: string[];
  invalid: string | null;
  onChange: (next: EditableInputs) => void;
  onReset: () => void;
  onSave: () => Promise<ActionResult<unknown>>;
  onSaveScenario: (name: string) => Promise<ActionResult<{ id: string; name: string }>>;
  whatIfHref: string;
  mayAct: boolean;
}) {
  const models = gpuModels.length ? gpuModels : Object.keys(inputs.gpuTypes);
  const [model, setModel] = useState(models[0] ?? "");
  const [resets, setResets] = useState(0);
  const [scenarioName, setScenarioName] = useState("");
  const [message, setMessage] = useState<{ kind: "notice" | "alert"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const type = inputs.gpuTypes[model];
  const g = inputs.global;
  const rk = (field: string) => `${model}-${field}-${resets}`;

  const setType = (patch: Partial<GpuTypeInputs>) => type && onChange({ ...inputs, gpuTypes: { ...inputs.gpuTypes, [model]: { ...type, ...patch, source: "user" } } });
  const setGlobal = (patch: Partial<EditableInputs["global"]>) => onChange({ ...inputs, global: { ...g, ...patch } });

  async function act(what: () => Promise<ActionResult<unknown>>, ok: string) {
    setBusy(true);
    setMessage(null);
    try {
      const res = await what();
      setMessage(res.ok ? { kind: "notice", text: ok } : { kind: "alert", text: res.error.message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="inputs-heading">
      <h2 id="inputs-heading">Inputs</h2>
      <p className="muted">Change any input: the split above is recomputed at once (a what-if, not saved). Prices in {currency}.</p>
      {invalid && <p className="alert">Some inputs are out of range, showing the last valid plan: {invalid}</p>}
      {message && (
        <p className={message.kind} role="status">
          {message.text}
        </p>
      )}
      {models.length > 0 && type && (
        <fieldset>
          <legend>GPU type</legend>
          <div className="field">
            <label htmlFor="input-gpu-type">GPU type</label>
            <select id="input-gpu-type" value={model} onChange={(e) => setModel(e.target.value)}>
              {models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
            <span className="hint" data-testid="price-source">
              Prices: {SOURCE_LABELS[type.source]}
              {stored.gpuTypes[model]?.source === "public-list-price" ? " (public on-demand list price per GPU-hour; editable)" : ""}
            </span>
            {defaults.gpuTypes.includes(model) && (
              <span className="hint" data-testid="inputs-default">
                Default inputs, not saved for {model} yet: Save inputs to keep them.
              </span>
            )}
          </div>
          <div className="inline-form">
            <NumberField id="on-demand-hourly" label="On-demand" unit={`${currency}/GPU-h`} value={type.onDemandHourly} onValue={(v) => v !== null && setType({ onDemandHourly: v })} resetKey={rk("od")} />
            <NumberField id="spot-hourly" label="Spot" unit={`${currency}/GPU-h`} nullable value={type.spotHourly} onValue={(v) => setType({ spotHourly: v })} resetKey={rk("spot")} />
            <div className="field">
              <label htmlFor="spot-bucket">Spot interruption frequency</label>
              <select id="spot-bucket" value={type.spotInterruptionBucket} onChange={(e) => setType({ spotInterruptionBucket: e.target.value as GpuTypeInputs["spotInterruptionBucket"] })}>
                {SPOT_BUCKETS.map((b) => (
                  <option key={b} value={b}>
                    {b === "low" ? "low (<5%/month)" : b === "medium" ? "medium (5-10%)" : b === "high" ? "high (10-20%)" : "very high (>20%)"}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="inline-form">
            {COMMITMENT_TERMS.map((t) => (
              <NumberField
                key={t}
                id={`discount-${t}`}
                label={`${TERM_LABELS[t]} discount`}
                unit="%"
                max={95}
                value={type.commitmentDiscounts[t] === undefined ? null : Math.round(type.commitmentDiscounts[t]! * 10000) / 100}
                nullable
                onValue={(v) => {
                  const next = { ...type.commitmentDiscounts };
                  if (v === null) delete next[t];
                  else next[t] = v / 100;
                  setType({ commitmentDiscounts: next });
                }}
                resetKey={rk(t)}
              />
            ))}
          </div>
          <div className="inline-form">
            <NumberField id="capex" label="On-prem capex per server" unit={currency} value={type.onPrem.capexPerServer} onValue={(v) => v !== null && setType({ onPrem: { ...type.onPrem, capexPerServer: v } })} resetKey={rk("capex")} />
            <NumberField id="gpus-per-server" label="GPUs per server" unit="GPUs" step="1" min={1} value={type.onPrem.gpusPerServer} onValue={(v) => v !== null && Number.isInteger(v) && v >= 1 && setType({ onPrem: { ...type.onPrem, gpusPerServer: v } })} resetKey={rk("gps")} />
            <NumberField id="power-kw" label="Power per server" unit="kW" value={type.onPrem.powerKwPerServer} onValue={(v) => v !== null && setType({ onPrem: { ...type.onPrem, powerKwPerServer: v } })} resetKey={rk("kw")} />
            <NumberField id="colocation" label="Colocation and ops per server" unit={`${currency}/h`} value={type.onPrem.colocationPerServerHour} onValue={(v) => v !== null && setType({ onPrem: { ...type.onPrem, colocationPerServerHour: v } })} resetKey={rk("colo")} />
          </div>
        </fieldset>
      )}
      <fieldset>
        <legend>All GPU types{defaults.global ? " (defaults, not saved yet)" : ""}</legend>
        <div className="inline-form">
          <div className="field">
            <label htmlFor="on-prem-enabled">
              <input id="on-prem-enabled" type="checkbox" checked={g.onPremEnabled} onChange={(e) => setGlobal({ onPremEnabled: e.target.checked })} /> Consider on-prem
            </label>
          </div>
          <NumberField id="life-years" label="On-prem life" unit="years" min={0.5} value={g.onPremLifeYears} onValue={(v) => v !== null && setGlobal({ onPremLifeYears: v })} resetKey={`life-${resets}`} />
          <NumberField id="pue" label="PUE" unit="ratio" min={1} value={g.pue} onValue={(v) => v !== null && setGlobal({ pue: v })} resetKey={`pue-${resets}`} />
          <NumberField id="price-per-kwh" label="Electricity" unit={`${currency}/kWh`} value={g.pricePerKwh} onValue={(v) => v !== null && setGlobal({ pricePerKwh: v })} resetKey={`kwh-${resets}`} />
          <NumberField id="checkpoint-minutes" label="Checkpoint interval" unit="min" min={1} value={g.checkpointIntervalMinutes} onValue={(v) => v !== null && setGlobal({ checkpointIntervalMinutes: v })} resetKey={`ckpt-${resets}`} />
          <NumberField id="restart-minutes" label="Restart time" unit="min" value={g.restartMinutes} onValue={(v) => v !== null && setGlobal({ restartMinutes: v })} resetKey={`restart-${resets}`} />
        </div>
        <div className="row-actions" role="group" aria-label="Commitment terms allowed">
          {COMMITMENT_TERMS.map((t) => (
            <label key={t}>
              <input
                type="checkbox"
                checked={g.allowedTerms.includes(t)}
                onChange={(e) => setGlobal({ allowedTerms: e.target.checked ? [...g.allowedTerms, t] : g.allowedTerms.filter((x) => x !== t) })}
              />{" "}
              {TERM_LABELS[t]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="row-actions" style={{ marginTop: "0.75rem", alignItems: "flex-end" }}>
        <button
          type="button"
          className="btn"
          onClick={() => {
            onReset();
            setResets((n) => n + 1);
            setMessage(null);
          }}
        >
          Reset to saved inputs
        </button>
        <a className="btn" href={whatIfHref} data-testid="what-if-api" target="_blank" rel="noreferrer">
          This what-if as JSON (API)
        </a>
        {mayAct && (
          <>
            <button type="button" className="btn btn-primary" disabled={busy || Boolean(invalid)} onClick={() => act(onSave, "Inputs saved; recommendations recomputed.")}>
              Save inputs
            </button>
            <div className="field" style={{ marginBottom: 0 }}>
              <label htmlFor="scenario-name">Scenario name</label>
              <input id="scenario-name" value={scenarioName} maxLength={120} onChange={(e) => setScenarioName(e.target.value)} />
            </div>
            <button type="button" className="btn" disabled={busy || !scenarioName.trim() || Boolean(invalid)} onClick={() => act(() => onSaveScenario(scenarioName.trim()), `Scenario "${scenarioName.trim()}" saved.`)}>
              Save as scenario
            </button>
          </>
        )}
      </div>
    </section>
  );
}
