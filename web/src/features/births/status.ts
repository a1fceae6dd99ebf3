import { useTranslation } from 'react-i18next';
import { addMessages } from '../../i18n/index.ts';

/** A birth record's status as every screen names it (queues, record page, notifications). */
addMessages('birthStatus', {
  en: {
    NOTIFIED: 'Notified',
    DECLARED: 'Declared',
    REQUIRES_UPDATE: 'Sent back for update',
    VALIDATED: 'Validated',
    DUPLICATE_SUSPECTED: 'Suspected duplicate',
    REGISTERED: 'Registered',
    CORRECTION_REQUESTED: 'Correction requested',
    ARCHIVED: 'Archived',
    REVOKED: 'Revoked',
  },
  ru: {
    NOTIFIED: 'Извещение получено',
    DECLARED: 'Заявление подано',
    REQUIRES_UPDATE: 'Возвращено на доработку',
    VALIDATED: 'Проверено',
    DUPLICATE_SUSPECTED: 'Возможный дубликат',
    REGISTERED: 'Зарегистрировано',
    CORRECTION_REQUESTED: 'Запрошено исправление',
    ARCHIVED: 'В архиве',
    REVOKED: 'Аннулировано',
  },
  kk: {
    NOTIFIED: 'Хабарланған',
    DECLARED: 'Өтініш берілген',
    REQUIRES_UPDATE: 'Толықтыруға қайтарылған',
    VALIDATED: 'Тексерілген',
    DUPLICATE_SUSPECTED: 'Қайталануы ықтимал',
    REGISTERED: 'Тіркелген',
    CORRECTION_REQUESTED: 'Түзету сұралған',
    ARCHIVED: 'Мұрағатта',
    REVOKED: 'Күші жойылған',
  },
});

export function useBirthStatus(): (status: string) => string {
  const { t } = useTranslation('birthStatus');
  return (status) => t(status, { defaultValue: status });
}
