import { Page } from '../../app/Page.tsx';

export default function AuditPage() {
  return <Page title="AuditPage">{null}</Page>;
}
