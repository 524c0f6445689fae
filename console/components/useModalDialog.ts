// What every modal of the console shares: the native <dialog> opened with showModal() makes the rest of
// the page inert (focus stays inside) and closes on Escape.
import { useEffect, useRef } from 'preact/hooks';

/**
 * Opens the dialog when its owner mounts and closes it when it unmounts, so a dialog is open exactly
 * while it is rendered. Returns the ref for the <dialog> and its `cancel` handler.
 */
export function useModalDialog(onCancel: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => { if (d?.open) d.close(); };
  }, []);
  // Escape fires `cancel`; the dialog would then close itself, and the owner must hear of it instead.
  const cancel = (e: Event) => { e.preventDefault(); onCancel(); };
  return { ref, onCancel: cancel };
}
