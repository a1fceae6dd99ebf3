import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { ApiProblem, newIdempotencyKey } from '../../../api/client.ts';
import { ProblemAlert } from '../../../app/problems.tsx';
import { act, type Bid, type BidAction, bidKeys } from './api.ts';
import { useBidText } from './text.ts';

/** Whether this reader may take an action now (the server lists them; it checks again on every post). */
export function allowed(bid: Bid, type: BidAction['type']): boolean {
  return bid.allowedActions.includes(type);
}

/**
 * One BID action from a form: sent with the version the reader saw and a key kept for retries of the
 * same submission; a stale version is a conflict to reload, never overwritten.
 */
export function useBidAction(bid: Bid, onDone?: () => void) {
  const queryClient = useQueryClient();
  const key = useRef(newIdempotencyKey());
  return useMutation({
    mutationFn: (action: BidAction) => act(bid, action, key.current),
    onSuccess: async () => {
      key.current = newIdempotencyKey();
      await queryClient.invalidateQueries({ queryKey: bidKeys.all });
      await queryClient.invalidateQueries({ queryKey: ['protection', 'cases'] });
      onDone?.();
    },
  });
}

/** The refusal of an action, in words; a version conflict offers to reload what others changed. */
export function ActionProblem({ bid, error }: { bid: Bid; error: unknown }) {
  const { t } = useBidText();
  const queryClient = useQueryClient();
  if (!error) return null;
  if (error instanceof ApiProblem && error.status === 409 && error.code === 'version_conflict') {
    return (
      <div className="problem" role="alert">
        {t('conflict')}{' '}
        <button type="button" onClick={() => void queryClient.invalidateQueries({ queryKey: bidKeys.one(bid.id) })}>
          {t('reload')}
        </button>
      </div>
    );
  }
  if (error instanceof ApiProblem && (error.status === 409 || error.status === 403) && error.field) {
    return (
      <p className="problem" role="alert" title={error.message}>
        {t(`refused.${error.field}`, { defaultValue: t('refused.other') })}
      </p>
    );
  }
  return <ProblemAlert error={error} />;
}

/** A form that checks its own fields first (tried), then sends one action. */
export function ActionForm({
  bid,
  title,
  submit,
  build,
  children,
  onDone,
}: {
  bid: Bid;
  title: string;
  submit: string;
  /** The action to send, or undefined when a field is missing (the form then shows its errors). */
  build: () => BidAction | undefined;
  children: (tried: boolean) => ReactNode;
  onDone?: () => void;
}) {
  const [tried, setTried] = useState(false);
  const mutation = useBidAction(bid, () => {
    setTried(false);
    onDone?.();
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    const action = build();
    if (action) mutation.mutate(action);
  };
  return (
    <form className="bid-form" onSubmit={onSubmit} noValidate aria-label={title}>
      <h3>{title}</h3>
      {children(tried)}
      <ActionProblem bid={bid} error={mutation.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {submit}
        </button>
      </div>
    </form>
  );
}
