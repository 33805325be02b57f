// Synthetic fleet telemetry for `npm run bench:telemetry`, streamed as OpenMetrics: GPUs on 8-GPU
// nodes scraped every 60 s with 4 DCGM fields (GR_ENGINE_ACTIVE, GPU_UTIL, FB_USED, POWER_USAGE), and
// vLLM counters (success by reason, tokens, a 12-bucket latency histogram) for inference services.
// Training nodes change pods once a day (the GPU's series split), serving nodes keep their pods.
import { seriesLine } from "../tests/support/prometheus";

export type FleetShape = { gpus: number; services: number; days: number; stepSeconds: number; end: number };

const LE = ["0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "20.0", "40.0", "+Inf"];

/** Deterministic pseudo-random in [0, 1) from integers (no state, so any sample can be computed alone). */
function noise(a: number, b: number): number {
  let x = (a * 374761393 + b * 668265263) | 0;
  x = Math.imul(x ^ (x >>> 13), 1274126177);
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

export async function writeFleet(shape: FleetShape, write: (line: string) => Promise<void>): Promise<{ lines: number; dcgmSamples: number; counterSamples: number }> {
  const steps = Math.round((shape.days * 86_400) / shape.stepSeconds);
  const start = shape.end - steps * shape.stepSeconds * 1000;
  const nodes = Math.ceil(shape.gpus / 8);
  const servingNodes = Math.max(1, Math.round(nodes / 4));
  let lines = 0;
  let dcgmSamples = 0;
  let counterSamples = 0;

  const fields = ["DCGM_FI_PROF_GR_ENGINE_ACTIVE", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_POWER_USAGE"];
  for (const field of fields) {
    for (let g = 0; g < shape.gpus; g++) {
      const node = Math.floor(g / 8);
      const serving = node < servingNodes;
      const base = {
        gpu: String(g % 8),
        UUID: `GPU-bench-${String(g).padStart(4, "0")}`,
        device: `nvidia${g % 8}`,
        modelName: "NVIDIA H100 80GB HBM3",
        Hostname: `gpu-node-${String(node).padStart(3, "0")}`,
      };
      let head = "";
      let day = -1;
      for (let i = 0; i < steps; i++) {
        const t = start + i * shape.stepSeconds * 1000;
        const d = Math.floor((t - start) / 86_400_000);
        if (d !== day) {
          day = d;
          const pod = serving
            ? { container: "vllm", namespace: "serving", pod: `svc-${g % shape.services}-api-5c9d8f7b6-x7k2p` }
            : { container: "trainer", namespace: "ml", pod: `run-${d}-${node}-${g % 2}-b2k9s` };
          head = seriesLine(field, { ...base, ...pod });
        }
        const u = Math.min(1, Math.max(0, (serving ? 0.55 : 0.8) + 0.2 * (noise(g, i) - 0.5)));
        const v =
          field === "DCGM_FI_PROF_GR_ENGINE_ACTIVE" ? u.toFixed(4) : field === "DCGM_FI_DEV_GPU_UTIL" ? Math.round(u * 100) : field === "DCGM_FI_DEV_FB_USED" ? Math.round(20000 + 60000 * u) : (100 + 600 * u).toFixed(1);
        await write(`${head} ${v} ${t / 1000}`);
        lines++;
        dcgmSamples++;
      }
    }
  }

  const names = ["vllm:e2e_request_latency_seconds_bucket", "vllm:generation_tokens_total", "vllm:prompt_tokens_total", "vllm:request_success_total"];
  for (const name of names) {
    for (let s = 0; s < shape.services; s++) {
      const base = { engine: "0", model_name: `org/model-${s}`, namespace: "serving", pod: `svc-${s}-api-5c9d8f7b6-x7k2p`, job: "vllm" };
      const variants: Array<[Record<string, string>, number]> =
        name === "vllm:request_success_total"
          ? [[{ finished_reason: "stop" }, 0.9], [{ finished_reason: "length" }, 0.09], [{ finished_reason: "abort" }, 0.01]]
          : name === "vllm:e2e_request_latency_seconds_bucket"
            ? LE.map((le, i) => [{ le }, Math.min(1, (i + 1) / (LE.length - 2))])
            : [[{}, name === "vllm:prompt_tokens_total" ? 400 : 200]];
      for (const [extra, factor] of variants) {
        const head = seriesLine(name, { ...base, ...extra });
        let total = 0;
        for (let i = 0; i < steps; i++) {
          const t = start + i * shape.stepSeconds * 1000;
          // Requests per step follow the day; a restart every 2 days resets the counters.
          if (i > 0 && i % 2880 === 0) total = 0;
          const hour = new Date(t).getUTCHours();
          const rps = 20 + 15 * Math.sin((Math.PI * hour) / 12) + 5 * noise(s, i);
          total += Math.round(rps * shape.stepSeconds * factor);
          await write(`${head} ${total} ${t / 1000}`);
          lines++;
          counterSamples++;
        }
      }
    }
  }
  return { lines, dcgmSamples, counterSamples };
}
