import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DuplicateState } from '../../../../src/births/record.ts';
import { useSession } from '../../api/session.tsx';
import { addMessages } from '../../i18n/index.ts';
import { childName, linkageKeys, pairsOfRecord } from './api.ts';

/**
 * The record page's word on linkage: a birth stopped at DUPLICATE_SUSPECTED says so and links to
 * the review of each pair it is in; a record found to repeat another links to the one kept. Its
 * words are here, not in the linkage screens' messages, so the record page loads only these.
 * The history's names for the linkage actions, and the refusal a registration meets while a
 * suspicion stands, are added to the record page's and the shell's words too.
 */
addMessages('linkageBanner', {
  en: {
    suspected: 'Registration waits: this birth may already be in the register.',
    review: 'Compare with {{name}} (score {{score}})',
    reviewAll: 'Open the suspected duplicates',
    askRegistrar: 'A registrar compares the records in the duplicate review and decides whether this one repeats another.',
    duplicateOf: 'This record was found to repeat another birth record.',
    kept: 'Open the record kept',
    notNamed: 'a record not named yet',
  },
  ru: {
    suspected: 'Регистрация ожидает: это рождение, возможно, уже есть в реестре.',
    review: 'Сравнить с записью {{name}} (балл {{score}})',
    reviewAll: 'Открыть возможные дубликаты',
    askRegistrar: 'Регистратор сравнивает записи при проверке дубликата и решает, повторяет ли эта запись другую.',
    duplicateOf: 'Установлено, что эта запись повторяет другую запись о рождении.',
    kept: 'Открыть сохранённую запись',
    notNamed: 'запись без имени',
  },
  kk: {
    suspected: 'Тіркеу күтуде: бұл туу тізілімде бар болуы мүмкін.',
    review: '{{name}} жазбасымен салыстыру (ұпай {{score}})',
    reviewAll: 'Қайталануы ықтимал жазбаларды ашу',
    askRegistrar: 'Тіркеуші жазбаларды қайталаманы тексеру кезінде салыстырып, бұл жазба басқасын қайталай ма, соны шешеді.',
    duplicateOf: 'Бұл жазба басқа туу туралы жазбаны қайталайтыны анықталды.',
    kept: 'Сақталған жазбаны ашу',
    notNamed: 'аты жоқ жазба',
  },
});
// The refusal a registration meets when linkage stops it (the record page's actions show it).
addMessages('shell', {
  en: { problems: { duplicate_suspected: 'This birth may already be in the register: a registrar decides in the duplicate review first.' } },
  ru: { problems: { duplicate_suspected: 'Это рождение, возможно, уже есть в реестре: сначала регистратор принимает решение при проверке дубликата.' } },
  kk: { problems: { duplicate_suspected: 'Бұл туу тізілімде бар болуы мүмкін: алдымен тіркеуші қайталаманы тексеріп, шешім қабылдайды.' } },
});
addMessages('record', {
  en: { event: { FLAG_DUPLICATE: 'Suspected duplicate: record linkage found a similar record', NOT_DUPLICATE: 'Found not to be a duplicate', MARK_DUPLICATE: 'Found to repeat another record', SUSPECT_CLEARED: 'Duplicate suspicion cleared' } },
  ru: { event: { FLAG_DUPLICATE: 'Возможный дубликат: найдена похожая запись', NOT_DUPLICATE: 'Признано, что это не дубликат', MARK_DUPLICATE: 'Признано повтором другой записи', SUSPECT_CLEARED: 'Подозрение на дубликат снято' } },
  kk: { event: { FLAG_DUPLICATE: 'Ықтимал қайталама: ұқсас жазба табылды', NOT_DUPLICATE: 'Қайталама емес деп танылды', MARK_DUPLICATE: 'Басқа жазбаның қайталамасы деп танылды', SUSPECT_CLEARED: 'Қайталама күдігі алынды' } },
});

export function DuplicateBanner({ recordId, status, duplicates }: { recordId: string; status: string; duplicates: DuplicateState | undefined }) {
  const { t, i18n } = useTranslation('linkageBanner');
  const { can } = useSession();
  const suspected = status === 'DUPLICATE_SUSPECTED';
  const reviewer = can('birth.register');
  const pairs = useQuery({ queryKey: linkageKeys.ofRecord(recordId), queryFn: () => pairsOfRecord(recordId), enabled: suspected && reviewer });
  const score = (value: number) => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(value);

  if (suspected) {
    return (
      <section className="warning duplicate-banner" aria-labelledby="duplicate-banner-title">
        <p id="duplicate-banner-title">
          <strong>{t('suspected')}</strong>
        </p>
        {reviewer ? (
          <ul>
            {(pairs.data ?? []).map(({ pair, a, b }) => {
              const other = a.id === recordId ? b : a;
              return (
                <li key={pair.id}>
                  <Link to={`/duplicates/${pair.id}`}>{t('review', { name: childName(other.facts?.child) ?? t('notNamed'), score: score(pair.score) })}</Link>
                </li>
              );
            })}
            {pairs.isSuccess && pairs.data.length === 0 ? (
              <li>
                <Link to="/duplicates">{t('reviewAll')}</Link>
              </li>
            ) : null}
          </ul>
        ) : (
          <p>{t('askRegistrar')}</p>
        )}
      </section>
    );
  }
  if (duplicates?.duplicateOf) {
    return (
      <p className="notice duplicate-banner">
        {t('duplicateOf')} <Link to={`/births/${duplicates.duplicateOf}`}>{t('kept')}</Link>
      </p>
    );
  }
  return null;
}
