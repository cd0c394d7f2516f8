/** A RAG status shown as colour, icon and text together (never colour alone). */
import { Badge, makeStyles, type BadgeProps } from '@fluentui/react-components';
import { CheckmarkCircle16Filled, CheckmarkStarburst16Filled, CircleHint16Regular, ErrorCircle16Filled, Warning16Filled } from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import { RAG_LABELS, type Rag } from '../../domain/model';

const COLOUR: Record<Rag, BadgeProps['color']> = {
  'not-reported': 'informative',
  red: 'danger',
  amber: 'warning',
  green: 'success',
  complete: 'brand',
};

const ICON: Record<Rag, ReactElement> = {
  'not-reported': <CircleHint16Regular aria-hidden />,
  red: <ErrorCircle16Filled aria-hidden />,
  amber: <Warning16Filled aria-hidden />,
  green: <CheckmarkCircle16Filled aria-hidden />,
  complete: <CheckmarkStarburst16Filled aria-hidden />,
};

export function ragIcon(rag: Rag): ReactElement {
  return ICON[rag];
}

const useStyles = makeStyles({ badge: { whiteSpace: 'nowrap', flexShrink: 0 } });

export function RagBadge({ status, size = 'large' }: { status: Rag; size?: BadgeProps['size'] }): ReactElement {
  const styles = useStyles();
  return (
    <Badge className={styles.badge} appearance="tint" color={COLOUR[status]} icon={ICON[status]} size={size} data-rag={status} shape="rounded">
      {RAG_LABELS[status]}
    </Badge>
  );
}
