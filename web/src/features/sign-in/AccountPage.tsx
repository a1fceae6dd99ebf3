import { Page } from '../../app/Page.tsx';

export default function AccountPage() {
  return <Page title="AccountPage">{null}</Page>;
}
