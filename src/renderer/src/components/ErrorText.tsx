/**
 * An error shown under what it is about, announced by screen readers (`role="alert"`).
 * Renders nothing without a message, so callers need no `{error && …}` wrapper.
 */
export function ErrorText({
  id,
  message,
  className,
  detail,
  focusable,
}: {
  id?: string;
  message: string | null | undefined;
  className?: string;
  /** The raw detail (for a bug report), behind a "Details" disclosure, never shown by default. */
  detail?: string | null | undefined;
  /** Can take focus (useFocusOnError), so a screen reader reads it. */
  focusable?: boolean;
}) {
  if (!message) return null;
  return (
    <div
      id={id}
      role="alert"
      className={className ? `error ${className}` : 'error'}
      tabIndex={focusable ? -1 : undefined}
    >
      <p className="error-message">{message}</p>
      {detail && (
        <details className="error-detail">
          <summary>Details</summary>
          <code>{detail}</code>
        </details>
      )}
    </div>
  );
}
