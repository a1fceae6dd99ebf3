import { createContext, useContext } from 'react';

/**
 * The message to show beside a field of the declaration, already in the user's language: a check
 * of the form (required) or the server's refusal naming it. Steps ask by the field's path in the
 * Declaration (child.dateOfBirth), the way the server names it.
 */
export type ErrorFor = (field: string) => string | undefined;

const FieldErrors = createContext<ErrorFor>(() => undefined);

export const FieldErrorsProvider = FieldErrors.Provider;

export function useFieldError(): ErrorFor {
  return useContext(FieldErrors);
}
