import { useState } from 'react';

/**
 * A dialog's submit: `busy` while it runs (buttons and fields disabled), the error's message kept for an Alert when
 * it fails. `run` never throws.
 */
export function useSubmit(fallback: string) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run(action: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof Error ? e.message : fallback);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}
