import { Fragment, type ReactNode } from 'react';
import type { Declaration, Notification } from '../../../../../src/births/declaration.ts';
import type { BirthView } from './api.ts';
import { useFacilityName, usePlaceName, useRecordText } from './labels.ts';

/** Every leaf of a declaration (or part of it) by dotted path; a list (the documents) is one leaf. */
export function flatten(value: unknown, prefix: string): [string, unknown][] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key));
}

function PlaceValue({ kato }: { kato: string }) {
  const name = usePlaceName(kato);
  return <>{name ? `${name} (${kato})` : kato}</>;
}

function FacilityValue({ id, within }: { id: string; within: string }) {
  const name = useFacilityName(id, within);
  return <>{name ?? id}</>;
}

/** A field's value as the page shows it: places and facilities by name, the rest as useRecordText says. */
export function FieldValue({ path, value, jurisdiction }: { path: string; value: unknown; jurisdiction: string }) {
  const { fieldValue } = useRecordText();
  if (typeof value === 'string' && path.endsWith('.kato')) return <PlaceValue kato={value} />;
  if (typeof value === 'string' && path.endsWith('placeOfBirth.facilityId')) return <FacilityValue id={value} within={jurisdiction} />;
  return <>{fieldValue(path, value)}</>;
}

/** Labelled facts of one part of the record; `label` names a field by its path inside that part. */
function FactList({ rows, label, jurisdiction }: { rows: [string, unknown][]; label(path: string): string; jurisdiction: string }) {
  return (
    <dl className="facts">
      {rows.map(([path, value]) => (
        <Fragment key={path}>
          <dt>{label(path)}</dt>
          <dd>
            <FieldValue path={path} value={value} jurisdiction={jurisdiction} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="record-part" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

const childOrder = ['surname', 'givenName', 'patronymic', 'nameForm', 'sex', 'dateOfBirth', 'timeOfBirth', 'plurality', 'birthOrder', 'weightGrams'];
const parentOrder = ['surname', 'givenName', 'patronymic', 'dateOfBirth', 'age', 'iin', 'citizenship', 'legalStatus', 'document', 'identityDeclared', 'residence'];

/** The rows of one part in the order a registry form has them (a field not listed goes last). */
function ordered(rows: [string, unknown][], order: string[]): [string, unknown][] {
  const rank = (path: string) => {
    const index = order.indexOf(path.split('.')[1] ?? '');
    return index === -1 ? order.length : index;
  };
  return [...rows].sort(([a], [b]) => rank(a) - rank(b));
}

/** The facts of the birth as declared (or, before a declaration, as the facility notified them). */
export function Facts({ view }: { view: BirthView }) {
  const { t, fieldLabel } = useRecordText();
  const declaration: Declaration | null = view.data.declaration;
  const notification: Notification | null = view.data.notification;
  const parentLabel = (path: string) => t(`fields.parent.${path.split('.').slice(1).join('.')}`, { defaultValue: path });
  const j = view.jurisdiction;

  if (!declaration) {
    if (!notification) return null;
    return (
      <Section id="facts-notification" title={t('sections.notification')}>
        <FactList
          jurisdiction={j}
          rows={[...ordered(flatten(notification.child, 'child'), childOrder), ['child.placeOfBirth.facilityId', notification.facilityId], ...flatten(notification.medicalCertificateNumber, 'medicalCertificateNumber'), ...flatten(notification.contact, 'contact')]}
          label={fieldLabel}
        />
        {notification.mother ? (
          <>
            <h3>{t('sections.mother')}</h3>
            <FactList jurisdiction={j} rows={ordered(flatten(notification.mother, 'mother'), parentOrder)} label={parentLabel} />
          </>
        ) : null}
      </Section>
    );
  }

  const child = ordered(
    flatten(declaration.child, 'child').filter(([path]) => !path.startsWith('child.placeOfBirth')),
    childOrder,
  );
  const birth: [string, unknown][] = [['path', declaration.path], ...flatten(declaration.child.placeOfBirth, 'child.placeOfBirth'), ...flatten(declaration.attendant, 'attendant')];
  const informant: [string, unknown][] = [...flatten(declaration.informant, 'informant'), ['maritalStatus', declaration.maritalStatus], ['parentage', declaration.parentage], ['documents', declaration.documents]];
  return (
    <>
      <div className="record-columns">
        <Section id="facts-child" title={t('sections.child')}>
          <FactList jurisdiction={j} rows={child} label={fieldLabel} />
        </Section>
        <Section id="facts-birth" title={t('sections.birth')}>
          <FactList jurisdiction={j} rows={birth} label={fieldLabel} />
        </Section>
      </div>
      <div className="record-columns">
        {(['mother', 'father'] as const).map((role) =>
          declaration[role] ? (
            <Section key={role} id={`facts-${role}`} title={t(`sections.${role}`)}>
              <FactList jurisdiction={j} rows={ordered(flatten(declaration[role], role), parentOrder)} label={parentLabel} />
            </Section>
          ) : null,
        )}
        <Section id="facts-informant" title={t('sections.informant')}>
          <FactList jurisdiction={j} rows={informant} label={fieldLabel} />
        </Section>
      </div>
    </>
  );
}
