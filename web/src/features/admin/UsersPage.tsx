import { Page } from '../../app/Page.tsx';

export default function UsersPage() {
  return <Page title="UsersPage">{null}</Page>;
}
