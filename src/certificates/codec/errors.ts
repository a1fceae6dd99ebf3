/**
 * Why a QR payload is not a valid credential. One code per step of the verification procedure
 * (verify.ts), so a tampered, truncated, forged or stale code is reported as exactly that. The
 * server adds 'revoked' and 'superseded' on top: those are statuses of a valid code, not failures.
 */
export const credentialFailures = [
  'too_large',
  'bad_base45',
  'bad_compression',
  'bad_cbor',
  'bad_cose',
  'unsupported_algorithm',
  'unknown_key',
  'bad_signature',
  'expired',
  'not_yet_valid',
  'key_expired',
  'bad_claims',
] as const;

export type CredentialFailure = (typeof credentialFailures)[number];

/**
 * The codec's one error type. It cannot be AppError: the codec runs in the browser too and imports
 * nothing outside its folder. `message` says in English what exactly was wrong (for logs and the
 * CLI); `credentialFailureText` says it to a person in Kazakh, Russian and English.
 */
export class CredentialError extends Error {
  readonly reason: CredentialFailure;

  constructor(reason: CredentialFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CredentialError';
    this.reason = reason;
  }
}

export function isCredentialError(error: unknown): error is CredentialError {
  return error instanceof CredentialError;
}

export interface LocalisedText {
  kk: string;
  ru: string;
  en: string;
}

/** A sentence for each failure, shown by the verification page, the API and the CLI. */
export const credentialFailureText: Record<CredentialFailure, LocalisedText> = {
  too_large: {
    kk: 'Кодта QR-код сыйғыза алатыннан көп мәтін бар: бұл куәліктің коды емес.',
    ru: 'В коде больше текста, чем помещается в QR-код: это не код свидетельства.',
    en: 'The code holds more text than a QR code can carry: it is not a certificate code.',
  },
  bad_base45: {
    kk: 'Код дұрыс Base45 мәтіні емес: ол қате оқылған немесе өзгертілген.',
    ru: 'Код не является правильным текстом Base45: он считан с ошибкой или изменён.',
    en: 'The code is not valid Base45 text: it was misread or altered.',
  },
  bad_compression: {
    kk: 'Кодтың сығылған деректері бүлінген: ол қате оқылған немесе өзгертілген.',
    ru: 'Сжатые данные кода повреждены: код считан с ошибкой или изменён.',
    en: "The code's compressed data is damaged: it was misread or altered.",
  },
  bad_cbor: {
    kk: 'Код деректері дұрыс CBOR емес: ол қате оқылған немесе өзгертілген.',
    ru: 'Данные кода не являются правильным CBOR: код считан с ошибкой или изменён.',
    en: "The code's data is not valid CBOR: it was misread or altered.",
  },
  bad_cose: {
    kk: 'Код қол қойылған COSE_Sign1 хабары емес.',
    ru: 'Код не является подписанным сообщением COSE_Sign1.',
    en: 'The code is not a signed COSE_Sign1 message.',
  },
  unsupported_algorithm: {
    kk: 'Кодқа бұл тексеру қабылдамайтын алгоритммен қол қойылған.',
    ru: 'Код подписан алгоритмом, который эта проверка не принимает.',
    en: 'The code is signed with an algorithm this verifier does not accept.',
  },
  unknown_key: {
    kk: 'Кодқа берушінің жарияланған кілттерінің ішінде жоқ кілтпен қол қойылған.',
    ru: 'Код подписан ключом, которого нет среди опубликованных ключей издателя.',
    en: "The code is signed with a key that is not among the issuer's published keys.",
  },
  bad_signature: {
    kk: 'Қолтаңба мазмұнға сәйкес келмейді: код өзгертілген немесе жалған.',
    ru: 'Подпись не соответствует содержимому: код изменён или подделан.',
    en: 'The signature does not match the contents: the code was altered or forged.',
  },
  expired: {
    kk: 'Құжаттың қолданылу мерзімі өтіп кеткен.',
    ru: 'Срок действия документа истёк.',
    en: 'The credential has expired.',
  },
  not_yet_valid: {
    kk: 'Құжат әлі күшіне енген жоқ.',
    ru: 'Документ ещё не вступил в силу.',
    en: 'The credential is not valid yet.',
  },
  key_expired: {
    kk: 'Кодқа қол қою кілтінің қолданылу мерзімінен тыс қол қойылған.',
    ru: 'Код подписан вне срока действия ключа подписи.',
    en: "The code was signed outside the signing key's period of validity.",
  },
  bad_claims: {
    kk: 'Қол қойылған мазмұнда өріс жоқ немесе өрістің түрі қате.',
    ru: 'В подписанном содержимом нет нужного поля или поле неверного типа.',
    en: 'The signed contents lack a field or have a field of the wrong type.',
  },
};
