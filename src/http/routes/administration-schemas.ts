import { Type } from 'typebox';

/** What the user and API-client routes share. */
export const tags = ['administration'];

export const Jurisdiction = Type.Union([Type.String({ pattern: '^[0-9]{9}$' }), Type.Null()], {
  description: '9-digit KATO code; null for the whole country',
});

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
