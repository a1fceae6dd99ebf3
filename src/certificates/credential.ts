import type { RequestContext } from '../access/audit.ts';
import type { Actor } from '../access/policy.ts';
import { type CertificateFacts, fullName } from './fields.ts';
import { type CertificateDeps, issuedCertificateFacts } from './issuance.ts';
import { currentSigner } from './keys.ts';
import { signCredential, statusListPosition, statusListUrl } from './status-list.ts';

/**
 * A registered birth as a W3C Verifiable Credential (VC Data Model 2.0) for wallets and other
 * registries, secured with JOSE. It is an issued certificate in another form: the same serial, the
 * same facts as at issuance, and the same status (its entry in the revocation status list).
 */
const birthPerson = (p: NonNullable<CertificateFacts['mother']>) => ({
  type: 'Person',
  name: fullName(p),
  familyName: p.surname,
  givenName: p.givenName,
  ...(p.patronymic && { additionalName: p.patronymic }),
  ...(p.iin && /^[0-9]{12}$/.test(p.iin) && { identifier: `urn:kz:iin:${p.iin}` }),
});

export function birthCredential(deps: Pick<CertificateDeps, 'publicUrl' | 'country'>, facts: CertificateFacts, issuedAt: Date, statusIndex: number): Record<string, unknown> {
  const position = statusListPosition(statusIndex);
  const statusList = statusListUrl(deps, position.list);
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: `urn:kz:birth-certificate:${facts.serial}`,
    type: ['VerifiableCredential', 'BirthCertificateCredential'],
    issuer: deps.publicUrl,
    validFrom: issuedAt.toISOString(),
    name: 'Birth certificate',
    description: `Birth registration ${facts.registration.number} of ${deps.country.name.en}`,
    credentialSubject: {
      id: `urn:kz:iin:${facts.child.iin}`,
      type: 'Person',
      name: fullName(facts.child),
      familyName: facts.child.surname,
      givenName: facts.child.givenName,
      ...(facts.child.patronymic && { additionalName: facts.child.patronymic }),
      gender: facts.child.sex,
      birthDate: facts.child.dateOfBirth,
      birthPlace: { type: 'Place', identifier: `urn:kz:kato:${facts.placeOfBirth.kato}`, name: facts.placeOfBirth.name },
      ...(facts.mother && fullName(facts.mother) && { mother: birthPerson(facts.mother) }),
      ...(facts.father && fullName(facts.father) && { father: birthPerson(facts.father) }),
      birthRegistration: {
        type: 'BirthRegistration',
        registrationNumber: facts.registration.number,
        registrationDate: facts.registration.date,
        registrationOffice: facts.registration.office,
        certificateSerial: facts.serial,
      },
    },
    credentialStatus: {
      id: `${statusList}#${position.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(position.index),
      statusListCredential: statusList,
    },
  };
}

/** The verifiable credential of an issued certificate, signed now with the current key (reading it is audited). */
export async function exportCredential(deps: CertificateDeps, serial: string, actor: Actor | undefined, ctx: RequestContext): Promise<{ credential: Record<string, unknown>; jwt: string }> {
  const { row, facts, issuedAt } = await issuedCertificateFacts(deps, serial, actor, ctx);
  const signer = await currentSigner(deps.births.db, deps.births.clock, deps.passphrase);
  const credential = birthCredential(deps, facts, issuedAt, row.statusIndex);
  return { credential, jwt: await signCredential(credential, signer) };
}
