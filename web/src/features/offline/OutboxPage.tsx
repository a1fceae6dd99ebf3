import { Page } from '../../app/Page.tsx';

export default function OutboxPage() {
  return <Page title="OutboxPage">{null}</Page>;
}
