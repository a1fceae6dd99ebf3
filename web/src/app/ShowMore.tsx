/** Below a paged list: how many rows are shown, and a button for the next page while there is one. */
export function ShowMore(props: { count: number; shown: string; more: string; list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  if (!props.count) return null;
  const { list } = props;
  return (
    <div className="actions">
      <span className="help">{props.shown}</span>
      {list.hasNextPage ? (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {props.more}
        </button>
      ) : null}
    </div>
  );
}
