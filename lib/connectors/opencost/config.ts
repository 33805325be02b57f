// An OpenCost / Kubecost connector's settings (connectors.config).
import { z } from "zod";
import { podNameRuleSchema } from "@/lib/telemetry/workload-identity";

export const openCostConfigSchema = z.object({
  /** OpenCost's API (default port 9003) or Kubecost's frontend (its /model prefix is added for KUBECOST). */
  url: z.url({ protocol: /^https?$/ }),
  /** Path of the allocation API when it is not the default (/allocation, or /model/allocation for Kubecost). */
  path: z.string().startsWith("/").optional(),
  caPem: z.string().optional(),
  timeoutMs: z.number().int().min(1_000).max(600_000).default(120_000),
  chunkHours: z.number().int().min(1).max(24).refine((h) => 24 % h === 0, "must divide 24").default(24),
  backfillDays: z.number().int().min(0).max(400).default(14),
  /** OpenCost finishes an hour's allocation a few minutes after it ends. */
  settleSeconds: z.number().int().min(0).max(6 * 3600).default(600),
  /** Currency of OpenCost's prices (its configured currency); default the org's. */
  currency: z.string().length(3).optional(),
  clusterId: z.string().min(1).optional(),
  podNameRules: z.array(podNameRuleSchema).optional(),
  /** Also keep CPU/RAM cost of pods without GPUs (default: only GPU pods and pods of labelled runs). */
  allPods: z.boolean().default(false),
  /** Where DCGM has no pod labels, give the node's GPU-hours to the pods that requested GPUs there. */
  attributeGpus: z.boolean().default(true),
  /** For nodes without any DCGM data, record the requested GPUs as GPU-hours (host + slot devices). */
  synthesizeGpus: z.boolean().default(true),
});

export type OpenCostConfig = z.infer<typeof openCostConfigSchema>;
export type OpenCostConfigInput = z.input<typeof openCostConfigSchema>;
