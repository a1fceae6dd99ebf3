import { Page } from '../../app/Page.tsx';

export default function DeclarationPage() {
  return <Page title="DeclarationPage">{null}</Page>;
}
