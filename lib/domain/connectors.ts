// Client-safe shapes of connectors as the API and the Settings page see them (no Prisma, no Node APIs).
// Credentials are never part of them: only whether some are stored.

/** A telemetry connector (Prometheus, OpenCost, Kubecost) with its health and lag. */
export type ConnectorSummary = {
  id: string;
  kind: string;
  name: string;
  url: string | null;
  enabled: boolean;
  everySeconds: number;
  status: string;
  watermark: string | null;
  /** Seconds between the watermark and now: how far behind the connector is. */
  lagSeconds: number | null;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  hasCredentials: boolean;
};

/** GET /api/v1/telemetry/connectors adds the Prometheus label filters the form shows back. */
export type TelemetryConnectorJson = ConnectorSummary & { labelFilters: string[] };

export const BILL_CONNECTOR_KINDS = ["BILL_S3", "BILL_HTTPS"] as const;
export type BillConnectorKind = (typeof BILL_CONNECTOR_KINDS)[number];

/** A bill pull connector (S3 bucket prefix or HTTPS URL), GET /api/v1/bills/connectors. */
export type BillConnectorJson = {
  id: string;
  kind: BillConnectorKind | string;
  name: string;
  /** BILL_S3: { bucket, prefix, region, endpoint?, forcePathStyle?, include, format?, maxBytes? }; BILL_HTTPS: { url, fileName?, format?, maxBytes? }. */
  config: Record<string, unknown>;
  hasSecret: boolean;
  everySeconds: number;
  enabled: boolean;
  status: string;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
};
