import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useSession } from '../../../api/session.tsx';
import { Page } from '../../../app/Page.tsx';
import { ProblemAlert } from '../../../app/problems.tsx';
import { ShowMore } from '../../../app/ShowMore.tsx';
import { type BidSummary, bidKeys, listBids } from './api.ts';
import { useBidText } from './text.ts';
import './bid.css';

/** A member who signed may vote (or change their vote) while the determination is open. */
const votePending = (bid: BidSummary) => bid.as === 'member' && bid.signedByMe === true && bid.status === 'OPEN';

/** What waits for the reader on one BID: their undertaking, their vote, or nothing. */
function Waiting({ bid }: { bid: BidSummary }) {
  const { t } = useBidText();
  const waiting = [bid.signedByMe === false ? t('list.signUndertaking') : '', votePending(bid) ? t('list.vote') : ''].filter(Boolean);
  if (!waiting.length) return <span className="help">{t('list.nothing')}</span>;
  return (
    <>
      {waiting.map((w) => (
        <span key={w} className="badge pending">
          {w}
        </span>
      ))}
    </>
  );
}

/**
 * The panel's sign-off: the BIDs the reader sits on (or, for a supervisor, those of their
 * jurisdiction), what each waits for from them — their confidentiality undertaking, their vote.
 */
export default function BidsPage() {
  const { t, format, question, status, option } = useBidText();
  const { can } = useSession();
  const allowed = can('protection.bid.decide') || can('protection.case.read');
  const list = useInfiniteQuery({
    queryKey: bidKeys.list(),
    queryFn: ({ pageParam }) => listBids(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: allowed,
  });
  if (!allowed) {
    return (
      <Page title={t('list.title')}>
        <p className="notice">{t('page.none')}</p>
      </Page>
    );
  }
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const pending = items.filter((b) => b.signedByMe === false || votePending(b));
  return (
    <Page title={t('list.title')}>
      <p className="help">{t('list.intro')}</p>
      {list.isPending ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
      {list.error ? <ProblemAlert error={list.error} /> : null}
      {list.data ? <p className="notice" data-testid="bid-pending">{pending.length ? t('list.pendingCount', { count: pending.length }) : t('list.nonePending')}</p> : null}
      {items.length ? (
        <table className="bid-list-table">
          <caption>{t('list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.question')}</th>
              <th scope="col">{t('list.yourPart')}</th>
              <th scope="col">{t('list.status')}</th>
              <th scope="col">{t('list.waiting')}</th>
              <th scope="col">{t('list.signed')}</th>
              <th scope="col">{t('list.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((bid) => (
              <tr key={bid.id}>
                <th scope="row">
                  <Link to={`/protection/bids/${bid.id}`}>{question(bid.question)}</Link>
                </th>
                <td>{bid.as === 'member' ? t('list.member') : t('list.supervising')}</td>
                <td>
                  {status(bid.status)}
                  {bid.decision ? <span className="help"> — {option(bid.decision)}</span> : null}
                </td>
                <td>
                  <Waiting bid={bid} />
                </td>
                <td>{t('list.signedOf', { signed: bid.signed, size: bid.panelSize })}</td>
                <td>{format.dateTime(bid.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : list.data ? (
        <p className="notice">{t('list.empty')}</p>
      ) : null}
      <ShowMore count={items.length} shown={t('list.shown', { count: items.length })} more={t('list.more')} list={list} />
    </Page>
  );
}
