/**
 * A Fluent dialog that is mounted only while it is shown. A mounted Fluent Dialog (even closed) puts
 * focus sentinels (aria-hidden, focusable) on <body>, which axe rightly reports; so the dialog is
 * mounted to open, closed through `open` (Fluent then gives the page back to assistive technology
 * after its exit animation), and unmounted once that animation is over.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface DialogState {
  mounted: boolean;
  open: boolean;
  show(): void;
  hide(): void;
}

export function useDialog(exitMs = 600): DialogState {
  const [mounted, setMounted] = useState(false);
  const [open, setOpen] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const show = useCallback(() => {
    window.clearTimeout(timer.current);
    setMounted(true);
    setOpen(true);
  }, []);
  const hide = useCallback(() => {
    setOpen(false);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setMounted(false), exitMs);
  }, [exitMs]);
  return { mounted, open, show, hide };
}
