// The registry: one processor per queue. A queue without an entry here cannot be consumed.
import { type QueueName, QUEUES } from "@/lib/queue/contracts";
import { alertsProcessor } from "./alerts";
import { deliveriesProcessor } from "./alerts-deliveries";
import { digestsProcessor } from "./digest";
import { ingestBillsProcessor } from "./ingest-bills";
import { recommendationsProcessor } from "./recommendations";
import { rollupsProcessor } from "./rollups";
import { telemetryProcessor } from "./telemetry";
import type { ProcessorDefinition } from "./types";

export type { ProcessorContext, ProcessorDefinition } from "./types";

export const PROCESSORS: Record<QueueName, ProcessorDefinition> = {
  [QUEUES.rollups]: rollupsProcessor,
  [QUEUES.telemetry]: telemetryProcessor,
  [QUEUES.ingestBills]: ingestBillsProcessor,
  [QUEUES.alerts]: alertsProcessor,
  [QUEUES.deliveries]: deliveriesProcessor,
  [QUEUES.digests]: digestsProcessor,
  [QUEUES.recommendations]: recommendationsProcessor,
};
