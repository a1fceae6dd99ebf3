import { Page } from '../../app/Page.tsx';

export default function SignInPage() {
  return <Page title="SignInPage">{null}</Page>;
}
