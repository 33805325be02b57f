// CPU time (user + system) of a local process from /proc, for the benchmarks: the Postgres backend
// serving a connection runs on this machine (loopback). Null where /proc cannot be read.
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

export function backendCpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
