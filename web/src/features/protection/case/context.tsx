import { useMutation } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useRef, useState } from 'react';
import { ApiProblem, newIdempotencyKey } from '../../../api/client.ts';
import { actOnCase, type CaseAction, type CaseView, type OpenedCase } from '../api.ts';

/**
 * What every part of the case page shares: the case as read, the actions the server allows this
 * reader now, and one way to act. Each action goes with the version on screen; a case changed by
 * someone else meanwhile is refused (409 version_conflict) and the page says so and offers a reload —
 * it never sends the action again over their change. Every submission carries an idempotency key,
 * the same one for a retry of the same content.
 */
export interface CaseActions {
  view: OpenedCase;
  /** Actor ids ("user:<id>") to the names the timeline gave them. */
  names: Map<string, string>;
  allowed(type: string): boolean;
  /** Sends the action; resolves true when it was recorded. */
  act(action: CaseAction): Promise<boolean>;
  pending: boolean;
  /** The refusal of the last action of this type, if that was the last one sent. */
  errorOf(type: string | string[]): unknown;
  /** The action recorded last (for the "done" message). */
  done: string | null;
  conflict: { seen: number; current: number | undefined } | null;
  clearConflict(): void;
}

const CaseContext = createContext<CaseActions | null>(null);

export function useCase(): CaseActions {
  const value = useContext(CaseContext);
  if (!value) throw new Error('useCase outside the case page');
  return value;
}

export function CaseProvider({ view, names, onChanged, children }: { view: OpenedCase; names: Map<string, string>; onChanged(next: CaseView): void; children: ReactNode }) {
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const [lastType, setLastType] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [conflict, setConflict] = useState<CaseActions['conflict']>(null);
  const mutation = useMutation({
    mutationFn: (action: CaseAction) => {
      const body = JSON.stringify([view.id, view.version, action]);
      if (attempt.current?.body !== body) attempt.current = { body, key: newIdempotencyKey() };
      return actOnCase(view.id, view.version, action, attempt.current.key);
    },
    onMutate: (action) => {
      setLastType(action.type);
      setDone(null);
    },
    onSuccess: (next, action) => {
      attempt.current = null;
      setDone(action.type);
      onChanged(next);
    },
    onError: (error) => {
      if (error instanceof ApiProblem && error.code === 'version_conflict') {
        const current = error.extra.currentVersion;
        setConflict({ seen: view.version, current: typeof current === 'number' ? current : undefined });
      }
    },
  });
  const value: CaseActions = {
    view,
    names,
    allowed: (type) => conflict === null && view.allowedActions.includes(type),
    act: (action) =>
      mutation.mutateAsync(action).then(
        () => true,
        () => false,
      ),
    pending: mutation.isPending,
    errorOf: (type) => {
      const types = Array.isArray(type) ? type : [type];
      if (!lastType || !types.includes(lastType) || !mutation.error) return undefined;
      if (mutation.error instanceof ApiProblem && mutation.error.code === 'version_conflict') return undefined;
      return mutation.error;
    },
    done,
    conflict,
    clearConflict: () => {
      setConflict(null);
      mutation.reset();
    },
  };
  return <CaseContext.Provider value={value}>{children}</CaseContext.Provider>;
}
