/**
 * Around a table too wide for a phone: it scrolls sideways inside itself instead of widening the page,
 * and takes focus (a named region) so that keyboard users can scroll it too (WCAG 2.1.1; axe
 * scrollable-region-focusable). In print it does not clip.
 */
import type { ReactElement, ReactNode } from 'react';
import { useShared } from '../styles';

export function ScrollTable({ label, children }: { label: string; children: ReactNode }): ReactElement {
  const shared = useShared();
  return (
    <div className={shared.scrollX} tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
