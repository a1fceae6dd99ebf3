import { Fragment, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';
import { credentialFailureText, type PersonName } from './codec.ts';
import type { BirthClaims } from './types.ts';

type LocalisedText = { kk: string; ru: string; en: string };
import { type Outcome, toneOf } from './verdict.ts';
import './messages.ts';

/** A name as the register writes it, surname first, in the script it was written in. */
function fullName(person: PersonName | undefined): string | undefined {
  return person ? [person.surname, person.givenName, person.patronymic].filter(Boolean).join(' ') || undefined : undefined;
}

/** The verdict in words: what it means, with the date or the reason, in the reader's language. */
function useVerdictText(): (outcome: Outcome) => string {
  const { t, i18n } = useTranslation('certificates');
  const format = useFormat();
  return (outcome) => {
    const date = format.date(outcome.statusDate);
    const language = i18n.language as keyof LocalisedText;
    const reasonText = () => {
      // The codec's sentence for its failure: the same words the API and the command line give.
      if (outcome.reason && outcome.reason !== 'no_keys' && outcome.reason in credentialFailureText) return credentialFailureText[outcome.reason][language];
      // A reason the codec does not name: the registry's own sentence, else a general one.
      return outcome.serverMessage?.[language] ?? t('reason.unknown');
    };
    switch (outcome.verdict) {
      case 'valid':
        return t('verdict.valid');
      case 'superseded':
        return t('verdict.superseded', { date });
      case 'revoked':
        return t('verdict.revoked', { date });
      case 'invalid':
        return t('verdict.invalid', { reason: reasonText() });
      case 'unchecked':
        return t('verdict.unchecked', { why: t(`unreachable.${outcome.unreachable ?? 'offline'}`) });
      case 'unknown':
        return t('verdict.unknown', { why: t('unreachable.no_keys') });
    }
  };
}

function Facts({ birth, keyId }: { birth: BirthClaims; keyId: string | null }) {
  const { t } = useTranslation('certificates');
  const format = useFormat();
  const rows: [string, string | undefined][] = [
    ['child', fullName(birth.child)],
    ['dateOfBirth', format.date(birth.dateOfBirth)],
    ['placeOfBirth', birth.placeOfBirth.name],
    ['iin', birth.iin],
    ['mother', fullName(birth.mother)],
    ['father', fullName(birth.father)],
    ['registrationNumber', birth.registrationNumber],
    ['kind', t(`kind.${birth.kind}`, { defaultValue: birth.kind })],
    ['serial', birth.serial],
    ['issuedOn', format.date(birth.issuedOn)],
    ['issuer', birth.issuer],
    ['keyId', keyId ?? undefined],
  ];
  return (
    <section aria-labelledby="certified-title">
      <h2 id="certified-title">{t('verify.facts')}</h2>
      <p className="warning">{t('verify.compare')}</p>
      <dl className="facts certified">
        {rows.map(([name, value]) => (
          <Fragment key={name}>
            <dt>{t(`fact.${name}`)}</dt>
            <dd data-fact={name}>{value || t('fact.notStated')}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

/** The verification's result: the verdict first (it takes the focus, so it is read out), then the certified facts. */
export function VerifyResult({ outcome, keysKept }: { outcome: Outcome; keysKept: boolean }) {
  const { t } = useTranslation('certificates');
  const verdictText = useVerdictText();
  const verdict = useRef<HTMLParagraphElement>(null);
  useEffect(() => verdict.current?.focus(), [outcome]);
  const tone = toneOf(outcome.verdict);
  return (
    <section className="verify-result" aria-labelledby="result-title">
      <h2 id="result-title">{t('verify.result')}</h2>
      <p ref={verdict} tabIndex={-1} className={`verdict ${tone === 'ok' ? 'success' : tone === 'warn' ? 'warning' : 'problem'}`} data-verdict={outcome.verdict}>
        {verdictText(outcome)}
      </p>
      {keysKept && outcome.verdict !== 'unknown' ? <p className="help">{t('verify.keysKept')}</p> : null}
      {outcome.birth ? <Facts birth={outcome.birth} keyId={outcome.keyId} /> : null}
    </section>
  );
}
