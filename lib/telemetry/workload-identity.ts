// Which workload a pod (or an inference series) belongs to (DOMAIN.md "Training run", "Inference service").
//
// 1. Run labels: the org's ordered keys (default run_id, training.run-id). Prometheus and OpenCost
//    rewrite label names to [a-zA-Z0-9_] and kube-state-metrics prefixes pod labels with "label_", so
//    each key is also tried in those spellings. The first key present names a TRAINING_RUN.
// 2. Otherwise the controller name, taken from the pod name by stripping the suffixes Kubernetes
//    generates. The first rule that matches wins; rules are configurable (org settings
//    telemetry.podNameRules, or per connector), since naming conventions differ:
//      <cronjob|job>-<digits>-<random5>   → Job (a CronJob's run or an indexed Job's pod)   TRAINING_RUN
//      <deployment>-<hash>-<random5>      → Deployment (ReplicaSet hash + pod suffix)       INFERENCE_SERVICE
//      <job>-<random5>                    → Job (random suffix, Kubernetes' vowel-free alphabet) TRAINING_RUN
//      <name>-<n>                         → Job index / StatefulSet ordinal                 TRAINING_RUN
//    e.g. resnet-sweep-12-3 → resnet-sweep-12; mistral-7b-api-5c9d8f7b6-abcde → mistral-7b-api.
// 3. No rule matches: the pod name itself, kind OTHER (listed as unclassified GPU time).
import { z } from "zod";
import type { Labels, WorkloadIdentity, WorkloadKindName } from "./types";

export const DEFAULT_RUN_LABEL_KEYS = ["run_id", "training.run-id"];

export const podNameRuleSchema = z.object({
  /** A regular expression over the whole pod name with a named group "name" (the controller name). */
  pattern: z.string().min(1),
  kind: z.enum(["TRAINING_RUN", "INFERENCE_SERVICE", "OTHER"]),
  /** What the rule recognizes (job, deployment, statefulset...), kept on the workload for humans. */
  controllerKind: z.string().min(1).default("controller"),
});
export type PodNameRule = z.input<typeof podNameRuleSchema>;

// Kubernetes' random suffixes use this alphabet (no vowels, no 0/1/3), see apimachinery rand.String.
const SAFE = "[bcdfghjklmnpqrstvwxz2456789]";

export const DEFAULT_POD_NAME_RULES: PodNameRule[] = [
  { pattern: `^(?<name>.+)-\\d+-${SAFE}{5}$`, kind: "TRAINING_RUN", controllerKind: "job" },
  // The pod-template hash must contain a digit, so "<job>-<word>-<random>" is not read as a Deployment.
  { pattern: "^(?<name>.+)-(?=[a-z0-9]*\\d)[a-z0-9]{6,10}-[a-z0-9]{5}$", kind: "INFERENCE_SERVICE", controllerKind: "deployment" },
  { pattern: `^(?<name>.+)-${SAFE}{5}$`, kind: "TRAINING_RUN", controllerKind: "job" },
  { pattern: "^(?<name>.+)-\\d+$", kind: "TRAINING_RUN", controllerKind: "job" },
];

type CompiledRule = { re: RegExp; kind: WorkloadKindName; controllerKind: string };

export type IdentityConfig = { runLabelKeys: string[]; rules: CompiledRule[] };

export function compileIdentityConfig({
  runLabelKeys = DEFAULT_RUN_LABEL_KEYS,
  podNameRules = DEFAULT_POD_NAME_RULES,
}: {
  runLabelKeys?: string[];
  podNameRules?: PodNameRule[];
} = {}): IdentityConfig {
  const rules = podNameRules.map((r, i) => {
    const rule = podNameRuleSchema.parse(r);
    let re: RegExp;
    try {
      re = new RegExp(rule.pattern);
    } catch (err) {
      throw new Error(`Pod name rule ${i + 1} is not a valid regular expression: ${(err as Error).message}`);
    }
    return { re, kind: rule.kind, controllerKind: rule.controllerKind };
  });
  return { runLabelKeys, rules };
}

/** The spellings a label key may take after Prometheus/OpenCost sanitizing. */
export function labelKeyVariants(key: string): string[] {
  const sanitized = key.replace(/[^a-zA-Z0-9_]/g, "_");
  return [...new Set([key, sanitized, `label_${sanitized}`])];
}

export function runIdFromLabels(labels: Labels | undefined, runLabelKeys: string[]): { key: string; value: string } | null {
  if (!labels) return null;
  for (const key of runLabelKeys) {
    for (const variant of labelKeyVariants(key)) {
      const value = labels[variant];
      if (value) return { key, value };
    }
  }
  return null;
}

export function controllerFromPodName(pod: string, cfg: IdentityConfig): { name: string; kind: WorkloadKindName; controllerKind: string } {
  for (const rule of cfg.rules) {
    const m = rule.re.exec(pod);
    const name = m?.groups?.name ?? m?.[1];
    if (name) return { name, kind: rule.kind, controllerKind: rule.controllerKind };
  }
  return { name: pod, kind: "OTHER", controllerKind: "pod" };
}

/** A pod seen on a GPU (DCGM pod mapping, OpenCost allocation) → its workload. */
export function identifyPodWorkload(
  { pod, namespace, labels }: { pod: string; namespace: string | null | undefined; labels?: Labels },
  cfg: IdentityConfig,
): WorkloadIdentity {
  const ns = namespace ?? "";
  const run = runIdFromLabels(labels, cfg.runLabelKeys);
  if (run) return { kind: "TRAINING_RUN", namespace: ns, name: run.value, labels: { runLabelKey: run.key, pod } };
  const c = controllerFromPodName(pod, cfg);
  return { kind: c.kind, namespace: ns, name: c.name, labels: { controllerKind: c.controllerKind } };
}

/** Stable in-memory key of an identity (kind included: the database's unique key). */
export function workloadKey(w: Pick<WorkloadIdentity, "kind" | "namespace" | "name">): string {
  return `${w.kind}\u0000${w.namespace}\u0000${w.name}`;
}
