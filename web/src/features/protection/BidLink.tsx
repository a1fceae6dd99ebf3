import { Link } from 'react-router';
import { useProtectionText } from './text.ts';

/**
 * Entry points into the best-interests and tracing screens (web/src/features/protection/bid/ and
 * tracing/, whose pages and routes live there): the paths, and a link to one determination as the
 * case page lists it. Paths carry ids only.
 */
export const bidPath = (bidId: string) => `/protection/bids/${bidId}`;
export const bidsPath = '/protection/bids';
export const tracingPath = '/protection/tracing';
export const tracingRequestPath = (id: string) => `/protection/tracing/${id}`;
export const conveneBidPath = (caseId: string) => `/protection/cases/${caseId}/bids/new`;
export const newTracingPath = (caseId: string) => `/protection/tracing/new?case=${caseId}`;

/** A determination of the case: its question, where it stands, the decision once made. */
export function BidLink({ bidId, question, status, decision }: { bidId: string; question: string; status?: string; decision?: string }) {
  const { t } = useProtectionText();
  return (
    <>
      <Link to={bidPath(bidId)}>{t('bids.open', { question: t(`bidQuestion.${question}`, { defaultValue: question }) })}</Link>
      {status ? <span className="help"> · {t(`bidStatus.${status}`, { defaultValue: status })}</span> : null}
      {decision ? <span className="help"> · {t('bids.decided', { option: t(`bidOption.${decision}`, { defaultValue: decision }) })}</span> : null}
    </>
  );
}
