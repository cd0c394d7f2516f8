/**
 * A Fluent dialog that is mounted only while it is shown. A mounted Fluent Dialog (even closed) puts
 * focus sentinels (aria-hidden, focusable) on <body>, which axe rightly reports; so the dialog is
 * mounted to open and closed through `open`. Fluent then plays the exit animation, removes the
 * surface and, a moment later, gives the rest of the page back to assistive technology (removes
 * aria-hidden). Only then is the Dialog unmounted: unmounting it earlier disposes Fluent's focus
 * manager (tabster) before it has removed aria-hidden, and the whole tab stays hidden from screen
 * readers. Once unmounted, focus goes back to the control that opened the dialog. While open, the
 * dialog is registered with navigation.ts, so that any change of view (a hash change, Back) closes it
 * first and the page is never left hidden.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { trackModal } from './navigation';

const DIALOGS = '[role="dialog"], [role="alertdialog"]';

export interface DialogState {
  mounted: boolean;
  open: boolean;
  show(): void;
  hide(): void;
}

export function useDialog(): DialogState {
  const [mounted, setMounted] = useState(false);
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLElement | null>(null);
  /** Dialogs already open below this one (the item drawer under "Edit item"): they stay. */
  const below = useRef(0);

  const show = useCallback(() => {
    below.current = document.querySelectorAll(DIALOGS).length;
    const active = document.activeElement;
    opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
    setMounted(true);
    setOpen(true);
  }, []);
  const hide = useCallback(() => setOpen(false), []);

  useEffect(() => (open ? trackModal(hide) : undefined), [open, hide]);

  // Closed but still mounted: unmount once no dialog is left and the page is no longer aria-hidden.
  useEffect(() => {
    if (!mounted || open) return undefined;
    const anchor = (): Element => (opener.current?.isConnected ? opener.current : (document.querySelector('main') ?? document.body));
    const settled = (): boolean =>
      document.querySelectorAll(DIALOGS).length <= below.current && anchor().closest('[aria-hidden="true"]') === null;
    if (settled()) {
      setMounted(false);
      return undefined;
    }
    const observer = new MutationObserver(() => {
      if (!settled()) return;
      observer.disconnect();
      setMounted(false);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-hidden', 'role'] });
    return () => observer.disconnect();
  }, [mounted, open]);

  // Unmounted after a close: focus returns to the opener (WCAG 2.4.3). Fluent may have put it on the
  // page or on the first control of a dialog below (the item drawer under "Edit item"); only a dialog
  // opened since, which the opener is not part of, keeps it.
  useEffect(() => {
    if (mounted || !opener.current) return;
    const el = opener.current;
    opener.current = null;
    const inDialog = document.activeElement?.closest('[role="dialog"], [role="alertdialog"]');
    if (el.isConnected && (!inDialog || inDialog.contains(el))) el.focus({ preventScroll: true });
  }, [mounted]);

  return { mounted, open, show, hide };
}
