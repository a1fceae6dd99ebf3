import { Page } from '../../app/Page.tsx';

export default function NotificationsPage() {
  return <Page title="NotificationsPage">{null}</Page>;
}
