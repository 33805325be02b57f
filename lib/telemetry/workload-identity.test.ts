import { describe, expect, it } from "vitest";
import { compileIdentityConfig, controllerFromPodName, identifyPodWorkload, labelKeyVariants, runIdFromLabels } from "./workload-identity";

const cfg = compileIdentityConfig();

describe("controllerFromPodName", () => {
  it("strips the suffixes of DOMAIN.md's examples", () => {
    expect(controllerFromPodName("resnet-sweep-12-3", cfg)).toEqual({ name: "resnet-sweep-12", kind: "TRAINING_RUN", controllerKind: "job" });
    expect(controllerFromPodName("mistral-7b-api-5c9d8f7b6-abcde", cfg)).toEqual({ name: "mistral-7b-api", kind: "INFERENCE_SERVICE", controllerKind: "deployment" });
  });

  it("recognizes Job pods: random suffix, indexed, CronJob runs", () => {
    expect(controllerFromPodName("bert-finetune-x7k2p", cfg).name).toBe("bert-finetune");
    expect(controllerFromPodName("bert-finetune-x7k2p", cfg).kind).toBe("TRAINING_RUN");
    expect(controllerFromPodName("llama-pretrain-4-zq8vm", cfg)).toMatchObject({ name: "llama-pretrain", kind: "TRAINING_RUN" });
    expect(controllerFromPodName("nightly-eval-29012345-b2k9s", cfg)).toMatchObject({ name: "nightly-eval", kind: "TRAINING_RUN" });
    expect(controllerFromPodName("llama-ft-7b-0", cfg)).toMatchObject({ name: "llama-ft-7b", kind: "TRAINING_RUN" });
  });

  it("leaves names without generated suffixes alone", () => {
    expect(controllerFromPodName("jupyter-large", cfg)).toEqual({ name: "jupyter-large", kind: "OTHER", controllerKind: "pod" });
    expect(controllerFromPodName("vllm", cfg).kind).toBe("OTHER");
    // Model-size parts are not suffixes.
    expect(controllerFromPodName("llama3-70b", cfg)).toMatchObject({ name: "llama3-70b", kind: "OTHER" });
  });

  it("takes custom rules, first match wins", () => {
    const custom = compileIdentityConfig({ podNameRules: [{ pattern: "^(?<name>[a-z]+)-worker-\\d+$", kind: "TRAINING_RUN", controllerKind: "mpijob" }] });
    expect(controllerFromPodName("gpt-worker-3", custom)).toEqual({ name: "gpt", kind: "TRAINING_RUN", controllerKind: "mpijob" });
    expect(controllerFromPodName("resnet-sweep-12-3", custom).kind).toBe("OTHER");
    expect(() => compileIdentityConfig({ podNameRules: [{ pattern: "(", kind: "OTHER" }] })).toThrow(/rule 1 is not a valid regular expression/);
  });
});

describe("run labels", () => {
  it("are tried in order and in their sanitized spellings", () => {
    expect(labelKeyVariants("training.run-id")).toEqual(["training.run-id", "training_run_id", "label_training_run_id"]);
    expect(runIdFromLabels({ training_run_id: "exp-7", run_id: "exp-1" }, ["run_id", "training.run-id"])).toEqual({ key: "run_id", value: "exp-1" });
    expect(runIdFromLabels({ label_training_run_id: "exp-7" }, ["run_id", "training.run-id"])).toEqual({ key: "training.run-id", value: "exp-7" });
    expect(runIdFromLabels({ run_id: "" }, ["run_id"])).toBeNull();
  });

  it("win over the pod name", () => {
    expect(identifyPodWorkload({ pod: "llama-ft-7b-0", namespace: "ml", labels: { run_id: "exp-0412" } }, cfg)).toMatchObject({
      kind: "TRAINING_RUN",
      namespace: "ml",
      name: "exp-0412",
    });
    expect(identifyPodWorkload({ pod: "mistral-7b-api-5c9d8f7b6-abcde", namespace: null }, cfg)).toMatchObject({
      kind: "INFERENCE_SERVICE",
      namespace: "",
      name: "mistral-7b-api",
    });
  });
});
