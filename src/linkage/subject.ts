/**
 * What record linkage knows about a birth: the child, the parents and the place, as the births
 * module hands them over (names as written). Linkage never reads another module's tables; the
 * births module builds a LinkageInput from its record and calls linkage's exported functions.
 */
export interface PersonInput {
  surname?: string;
  givenName?: string;
  patronymic?: string;
  /** YYYY-MM-DD. */
  dateOfBirth?: string;
  /** As written: a mistyped IIN is compared as it stands. */
  iin?: string;
}

export interface LinkageInput {
  recordId: string;
  child: PersonInput & { sex?: 'male' | 'female'; dateOfBirth: string; birthOrder?: number };
  mother?: PersonInput;
  father?: PersonInput;
  facilityId?: string;
  /** KATO code of the place of birth (the record's jurisdiction). */
  placeKato: string;
}

/** A name as written with the forms matching compares (see names.ts, which makes them). */
export interface NameForms {
  /** As written, NFC, surrounding space trimmed. */
  written: string;
  /** For the "exact" level: lower-case, inner space collapsed, nothing else changed. */
  exact: string;
  /** The Latin form a document would carry: Kazakh 2021 alphabet for Kazakh letters, ICAO 9303 for Russian. */
  latin: string;
  /**
   * For the "transliteration-equal" level: equal when two spellings are the same name in another
   * script or with Kazakh letters typed as their Russian look-alikes (Нұрсұлтанова, Нурсултанова,
   * Nursultanova all give one form). Latin variants (y/i, j/zh, kh/h, gendered and -uly/-kyzy
   * endings) are folded.
   */
  match: string;
  /** Phonetic keys of the match form (Double Metaphone primary, then alternate when it differs); for a name with no Latin letters left, "~" and its first 8 letters, so identical spellings still meet. */
  phonetic: string[];
}

export interface PersonForms {
  surname?: NameForms;
  givenName?: NameForms;
  patronymic?: NameForms;
  dateOfBirth?: string;
  iin?: string;
}

/** A LinkageInput with every name's forms worked out: what scoring compares. */
export interface LinkageSubject {
  recordId: string;
  child: PersonForms & { sex?: 'male' | 'female'; dateOfBirth: string; birthOrder?: number };
  mother?: PersonForms;
  father?: PersonForms;
  facilityId?: string;
  placeKato: string;
}
