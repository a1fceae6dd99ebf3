import { Page } from '../../app/Page.tsx';

export default function RecordPage() {
  return <Page title="RecordPage">{null}</Page>;
}
