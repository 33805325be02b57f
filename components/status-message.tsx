// The outcome of the last action on a page: a status line, or an alert for an error (announced).
export type Message = { kind: "error" | "ok"; text: string } | null;

export function StatusMessage({ message }: { message: Message }) {
  return (
    <div aria-live="polite">
      {message ? (
        <p className={message.kind === "error" ? "alert" : "notice"} role={message.kind === "error" ? "alert" : "status"}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
