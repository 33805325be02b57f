import { disconnectDb } from "../db/client";
import { closePgPool } from "../db/pg";

/** Releases every connection a command may have opened, so the process exits on its own. */
export async function shutdownCliResources() {
  await Promise.allSettled([disconnectDb(), closePgPool()]);
}
