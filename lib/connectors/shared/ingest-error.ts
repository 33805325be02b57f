// The one error type of bill ingestion. Its message always names the file and, where it applies, the
// line (1-based, physical: a quoted field spanning lines counts every line) and the column, so a finance
// lead can open the file at the right place: `bill.csv, line 17, column BilledCost: "12,5" is not a number`.
export type IngestErrorCode =
  | "unknown_format"
  | "missing_columns"
  | "invalid_value"
  | "invalid_date"
  | "mixed_currency"
  | "corrupt_file"
  | "empty_file"
  | "too_large"
  | "malformed_csv"
  | "no_rows"
  | "unreadable";

export type IngestErrorDetail = {
  code: IngestErrorCode;
  file: string;
  line?: number;
  column?: string;
  /** The reason alone, without the location prefix. */
  reason: string;
};

export class IngestError extends Error {
  readonly code: IngestErrorCode;
  readonly detail: IngestErrorDetail;

  constructor(detail: IngestErrorDetail) {
    super(formatLocation(detail) + detail.reason);
    this.name = "IngestError";
    this.code = detail.code;
    this.detail = detail;
  }
}

function formatLocation({ file, line, column }: IngestErrorDetail): string {
  let s = file;
  if (line !== undefined) s += `, line ${line}`;
  if (column !== undefined) s += `, column ${column}`;
  return `${s}: `;
}

export function isIngestError(err: unknown): err is IngestError {
  return err instanceof IngestError;
}
