// The registry: one processor per queue. A queue without an entry here cannot be consumed.
import { type QueueName, QUEUES } from "@/lib/queue/contracts";
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
  [QUEUES.recommendations]: recommendationsProcessor,
};
