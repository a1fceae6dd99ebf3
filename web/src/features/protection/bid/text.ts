import { useTranslation } from 'react-i18next';
import { useSession } from '../../../api/session.tsx';
import { useFormat } from '../../../i18n/format.ts';
import type { Bid } from './api.ts';
import './messages.ts';

/** How the BID screens say things: questions, professions, options, people, in the user's language. */
export function useBidText() {
  const { t } = useTranslation('bid');
  const format = useFormat();
  const { me } = useSession();
  const question = (value: string) => t(`question.${value}`, { defaultValue: value });
  const profession = (value: string) => t(`profession.${value}`, { defaultValue: value });
  const option = (value: string) => t(`option.${value}`, { defaultValue: value });
  const status = (value: string) => t(`status.${value}`, { defaultValue: value });
  const language = (value: string) => t(`language.${value}`, { defaultValue: value });
  const who = (value: string) => t(`who.${value}`, { defaultValue: value });
  /** A panel member or other actor ("user:<id>") by name: "you", the name the history gives them, or their profession on the panel. */
  const person = (bid: Bid | undefined, actor: string | null | undefined) => {
    if (!actor) return t('unknown');
    if (me && actor === `${me.kind}:${me.id}`) return me.displayName ? t('youNamed', { name: me.displayName }) : t('you');
    const name = bid?.names[actor];
    if (name) return name;
    const seat = bid?.panel.find((m) => m.member === actor);
    return seat ? t('panel.memberOf', { profession: profession(seat.profession) }) : t('someone');
  };
  return { t, format, question, profession, option, status, language, who, person };
}
