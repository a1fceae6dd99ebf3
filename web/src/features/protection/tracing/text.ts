import { useTranslation } from 'react-i18next';
import { useSession } from '../../../api/session.tsx';
import { useFormat } from '../../../i18n/format.ts';
import './messages.ts';

/** How the tracing screens say things, in the user's language. */
export function useTracingText() {
  const { t } = useTranslation('tracing');
  const format = useFormat();
  const { me } = useSession();
  const relation = (value: string) => t(`relation.${value}`, { defaultValue: value });
  const status = (value: string) => t(`status.${value}`, { defaultValue: value });
  const sex = (value: string | null | undefined) => (value ? t(`sex.${value}`, { defaultValue: value }) : t('unknown'));
  /** "user:<id>" as "you" when it is the reader; otherwise the id (names of colleagues are not in this view). */
  const actor = (value: string) => (me && value === `${me.kind}:${me.id}` ? t('you') : value.replace(/^user:/, ''));
  const weight = (value: number) => new Intl.NumberFormat(format.language, { signDisplay: value === 0 ? 'never' : 'always', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  const score = (value: number) => new Intl.NumberFormat(format.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  return { t, format, relation, status, sex, actor, weight, score };
}
