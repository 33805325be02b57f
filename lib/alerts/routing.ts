// Which channels receive an alert: enabled Slack channels whose minimum severity the alert meets and
// whose routing scopes include the alert's scope (no scopes = everything). A routing scope without a
// value matches every value of its kind (all teams, all clusters...).
import { channelRoutingSchema, SEVERITY_ORDER, type SeverityName } from "../domain/alerting";

export type RoutableChannel = { id: string; enabled: boolean; minSeverity: SeverityName; config: unknown };

export function channelMatches(channel: RoutableChannel, alert: { severity: SeverityName; scope: { kind: string; value: string | null } }): boolean {
  if (!channel.enabled) return false;
  if (SEVERITY_ORDER[alert.severity] < SEVERITY_ORDER[channel.minSeverity]) return false;
  const parsed = channelRoutingSchema.safeParse(channel.config ?? {});
  const scopes = parsed.success ? parsed.data.scopes : [];
  if (scopes.length === 0) return true;
  return scopes.some((s) => s.kind === alert.scope.kind && (!s.value || s.value === alert.scope.value));
}
