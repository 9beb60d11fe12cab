/** The shell's log line: messages and error messages only, never payloads. */
export type Log = (message: string, error?: unknown) => void;

export const log: Log = (message, error) =>
  console.error(`[exist-tray] ${message}${error instanceof Error ? `: ${error.message}` : ''}`);
