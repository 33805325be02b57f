// The registry: one processor per queue. A queue without an entry here cannot be consumed.
import { type QueueName, QUEUES } from "@/lib/queue/contracts";
import { rollupsProcessor } from "./rollups";
import type { ProcessorDefinition } from "./types";

export type { ProcessorContext, ProcessorDefinition } from "./types";

export const PROCESSORS: Record<QueueName, ProcessorDefinition> = {
  [QUEUES.rollups]: rollupsProcessor,
};
