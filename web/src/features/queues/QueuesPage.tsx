import { Page } from '../../app/Page.tsx';

export default function QueuesPage() {
  return <Page title="QueuesPage">{null}</Page>;
}
