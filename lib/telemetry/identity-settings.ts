// The org's workload-identity settings: orgs.run_label_keys plus orgs.settings.telemetry.podNameRules,
// overridable per connector. Invalid settings fail the run with a message naming the setting.
import { z } from "zod";
import { compileIdentityConfig, DEFAULT_POD_NAME_RULES, type IdentityConfig, type PodNameRule, podNameRuleSchema } from "./workload-identity";

const orgTelemetrySettingsSchema = z.object({ podNameRules: z.array(podNameRuleSchema).optional() }).passthrough();

export function identityConfigFor({
  runLabelKeys,
  settings,
  connectorRules,
}: {
  runLabelKeys: string[];
  settings: unknown;
  connectorRules?: PodNameRule[];
}): IdentityConfig {
  const raw = (settings as { telemetry?: unknown } | null)?.telemetry;
  let orgRules: PodNameRule[] | undefined;
  if (raw !== undefined) {
    const parsed = orgTelemetrySettingsSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`Org settings telemetry.podNameRules are invalid: ${z.prettifyError(parsed.error)}`);
    orgRules = parsed.data.podNameRules;
  }
  return compileIdentityConfig({ runLabelKeys, podNameRules: connectorRules ?? orgRules ?? DEFAULT_POD_NAME_RULES });
}
