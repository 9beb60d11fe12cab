/**
 * An error shown under what it is about, announced by screen readers (`role="alert"`).
 * Renders nothing without a message, so callers need no `{error && …}` wrapper.
 */
export function ErrorText({
  id,
  message,
  className,
}: {
  id?: string;
  message: string | null | undefined;
  className?: string;
}) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className={className ? `error ${className}` : 'error'}>
      {message}
    </p>
  );
}
