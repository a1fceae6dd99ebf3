import type { Risk } from './api.ts';
import { useProtectionText } from './text.ts';

/** A risk level as a coloured badge with its name in words (colour is never the only sign). */
export function RiskBadge({ risk }: { risk: Risk | string }) {
  const { risk: name } = useProtectionText();
  return <span className={`badge risk-${risk}`}>{name(risk)}</span>;
}
