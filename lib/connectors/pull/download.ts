// Downloads one object of a bill pull connector (S3 or HTTPS) to a local file, with the connector's
// stored credentials.
import type { PrismaClient } from "../../db/client";
import { DEFAULT_MAX_BILL_BYTES } from "../shared/bill-source";
import { downloadUrl } from "../https/https-source";
import { downloadObject, parseS3Uri, s3Client } from "../s3/s3-source";
import { loadBillConnector } from "./load-connector";

export async function downloadConnectorObject(
  prisma: PrismaClient,
  { orgId, connectorId, uri, target, maxBytes }: { orgId: string; connectorId: string; uri: string; target: string; maxBytes?: number },
): Promise<void> {
  const c = await loadBillConnector(prisma, { orgId, connectorId });
  const limit = maxBytes ?? c.config.maxBytes ?? DEFAULT_MAX_BILL_BYTES;
  if (c.kind === "BILL_S3") {
    const { bucket, key } = parseS3Uri(uri);
    if (bucket !== c.config.bucket) throw new Error(`${uri} is not in the connector's bucket ${c.config.bucket}`);
    const client = s3Client(c.config, c.secret);
    try {
      await downloadObject(client, { bucket, key, target, maxBytes: limit });
    } finally {
      client.destroy();
    }
    return;
  }
  if (!uri.startsWith("https://") && !uri.startsWith("http://")) throw new Error(`Not an HTTP(S) URL: ${uri}`);
  await downloadUrl({ url: uri, headers: c.secret?.headers ?? {}, target, maxBytes: limit, name: uri.split("/").pop() || uri });
}
