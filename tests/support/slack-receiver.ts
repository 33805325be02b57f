// A loopback HTTP server standing in for Slack's incoming-webhook endpoint: records every POST (parsed
// JSON body, arrival time) and answers from a script of responses (then 200 "ok").
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ScriptedResponse = { status: number; headers?: Record<string, string>; body?: string };
export type ReceivedMessage = { path: string; at: number; body: { text?: string; blocks?: unknown[] } & Record<string, unknown>; raw: string };

export type SlackReceiver = {
  url: (path?: string) => string;
  received: ReceivedMessage[];
  /** Responses for the next requests, in order; afterwards 200 "ok". */
  script(responses: ScriptedResponse[]): void;
  /** Resolves when at least n messages arrived (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
};

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const received: ReceivedMessage[] = [];
  let queue: ScriptedResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: ReceivedMessage["body"] = {};
      try {
        body = JSON.parse(raw) as ReceivedMessage["body"];
      } catch {
        // recorded raw
      }
      received.push({ path: req.url ?? "/", at: Date.now(), body, raw });
      const next = queue.shift() ?? { status: 200, body: "ok" };
      res.writeHead(next.status, { "content-type": "text/plain", ...next.headers });
      res.end(next.body ?? (next.status === 200 ? "ok" : "error"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = "/services/T000/B000/XXXX") => `http://127.0.0.1:${port}${path}`,
    received,
    script(responses) {
      queue = [...responses];
    },
    async waitFor(n, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} Slack messages, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
