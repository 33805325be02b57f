// Builds the driver for a connector row: validates its config for its kind, opens its secret, and
// resolves the org's workload-identity settings.
import { z } from "zod";
import type { Connector } from "@/lib/db/client";
import { createOpenCostDriver } from "@/lib/connectors/opencost/driver";
import { openCostConfigSchema } from "@/lib/connectors/opencost/config";
import type { PrometheusClientOptions } from "@/lib/connectors/prometheus/client";
import { prometheusConfigSchema } from "@/lib/connectors/prometheus/config";
import { createPrometheusDriver } from "@/lib/connectors/prometheus/driver";
import type { Transport } from "./http-transport";
import type { ConnectorDriver } from "./connector-driver";
import { openConnectorSecret } from "./connector-secrets";
import { identityConfigFor } from "./identity-settings";

export const TELEMETRY_CONNECTOR_KINDS = ["PROMETHEUS", "OPENCOST", "KUBECOST"] as const;
export type TelemetryConnectorKind = (typeof TELEMETRY_CONNECTOR_KINDS)[number];

export function isTelemetryConnectorKind(kind: string): kind is TelemetryConnectorKind {
  return (TELEMETRY_CONNECTOR_KINDS as readonly string[]).includes(kind);
}

export type DriverHooks = {
  onPrometheusQuery?: PrometheusClientOptions["onQuery"];
  /** Answers the Prometheus connector's HTTP requests in process (the demo seed); see PrometheusClientOptions.transport. */
  prometheusTransport?: Transport;
};

type OrgSettings = { currency: string; runLabelKeys: string[]; settings: unknown };

function parseConfig<T extends z.ZodType>(schema: T, connector: Pick<Connector, "id" | "name" | "config">): z.infer<T> {
  const parsed = schema.safeParse(connector.config);
  if (!parsed.success) throw new Error(`Connector "${connector.name}" has an invalid configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function createDriver({
  connector,
  org,
  encryptionKey,
  hooks,
}: {
  connector: Pick<Connector, "id" | "orgId" | "kind" | "name" | "config" | "secretCiphertext">;
  org: OrgSettings;
  encryptionKey?: string;
  hooks?: DriverHooks;
}): ConnectorDriver {
  const secret = openConnectorSecret(connector.secretCiphertext, encryptionKey);
  switch (connector.kind) {
    case "PROMETHEUS": {
      const config = parseConfig(prometheusConfigSchema, connector);
      const identity = identityConfigFor({ runLabelKeys: org.runLabelKeys, settings: org.settings, connectorRules: config.podNameRules });
      return createPrometheusDriver({ orgId: connector.orgId, config, secret, identity, currency: org.currency, onQuery: hooks?.onPrometheusQuery, transport: hooks?.prometheusTransport }) as ConnectorDriver;
    }
    case "OPENCOST":
    case "KUBECOST": {
      const config = parseConfig(openCostConfigSchema, connector);
      const identity = identityConfigFor({ runLabelKeys: org.runLabelKeys, settings: org.settings, connectorRules: config.podNameRules });
      return createOpenCostDriver({ orgId: connector.orgId, flavor: connector.kind === "KUBECOST" ? "kubecost" : "opencost", config, secret, identity, currency: config.currency ?? org.currency }) as ConnectorDriver;
    }
    default:
      throw new Error(`Connector "${connector.name}" is a ${connector.kind} connector, not a telemetry connector`);
  }
}
