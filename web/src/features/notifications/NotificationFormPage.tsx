import { Page } from '../../app/Page.tsx';

export default function NotificationFormPage() {
  return <Page title="NotificationFormPage">{null}</Page>;
}
