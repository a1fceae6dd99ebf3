import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';
import { type Risk, timeLeft } from './api.ts';
import './messages.ts';

/**
 * How the protection screens say things in the reader's language: flags (their names and reasons,
 * from the pack's protection.json), risk levels, stages, agencies, and how long is left before a deadline.
 */
export function useProtectionText() {
  const { t } = useTranslation('protection');
  const format = useFormat();
  // Words from messages, not Intl's unit format: browsers without Kazakh locale data would say "24 hours".
  const duration = (unit: 'hour' | 'day', amount: number) => t(`unit.${unit}`, { count: amount, amount: format.number(amount) });
  /** "Due in 5 hours" / "Overdue by 2 days", for a deadline instant. */
  const deadline = (due: string, now: Date = new Date()) => {
    const left = timeLeft(due, now);
    return { overdue: left.overdue, text: t(left.overdue ? 'time.overdue' : 'time.left', { time: duration(left.unit, left.amount) }) };
  };
  return {
    t,
    format,
    deadline,
    duration,
    flagName: (code: string) => t(`flag.${code}.name`, { defaultValue: code }),
    flagReason: (code: string) => t(`flag.${code}.reason`, { defaultValue: '' }),
    risk: (risk: Risk | string) => t(`risk.${risk}`, { defaultValue: risk }),
    stage: (stage: string) => t(`stage.${stage}`, { defaultValue: stage }),
    kind: (kind: string) => t(`kind.${kind}`, { defaultValue: kind }),
    agency: (id: string) => t(`agency.${id}`, { defaultValue: id }),
    action: (type: string) => t(`action.${type}`, { defaultValue: type }),
  };
}
