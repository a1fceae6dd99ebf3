import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { askableDate, type Requirements } from './model.ts';

/** What the pack asks of a declaration, and the timeliness of a declaration made today for this date of birth. */
export function useRequirements(dateOfBirth: string) {
  const date = askableDate(dateOfBirth);
  return useQuery({
    queryKey: ['births', 'requirements', date ?? null],
    queryFn: () => api<Requirements>('GET', '/births/requirements', { query: { dateOfBirth: date } }),
    staleTime: 60 * 60_000,
    placeholderData: keepPreviousData,
  });
}
