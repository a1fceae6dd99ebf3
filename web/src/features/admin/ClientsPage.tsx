import { Page } from '../../app/Page.tsx';

export default function ClientsPage() {
  return <Page title="ClientsPage">{null}</Page>;
}
