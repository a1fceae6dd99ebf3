import { lazy, Suspense } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RequireSignIn, Shell } from './Shell.tsx';

/**
 * Every screen, each loaded on first use so that the sign-in and work-queue screens download only
 * their own code. A new module adds its screens here and its menu entry in Shell's navigation.
 * Paths carry record ids (UUIDs), never a name, an IIN or any other personal data.
 */
const SignInPage = lazy(() => import('../features/sign-in/SignInPage.tsx'));
const AccountPage = lazy(() => import('../features/sign-in/AccountPage.tsx'));
const QueuesPage = lazy(() => import('../features/queues/QueuesPage.tsx'));
const RecordPage = lazy(() => import('../features/births/RecordPage.tsx'));
const DeclarationPage = lazy(() => import('../features/births/DeclarationPage.tsx'));
const NotificationsPage = lazy(() => import('../features/notifications/NotificationsPage.tsx'));
const NotificationFormPage = lazy(() => import('../features/notifications/NotificationFormPage.tsx'));
const OutboxPage = lazy(() => import('../features/offline/OutboxPage.tsx'));
const UsersPage = lazy(() => import('../features/admin/UsersPage.tsx'));
const ClientsPage = lazy(() => import('../features/admin/ClientsPage.tsx'));
const AuditPage = lazy(() => import('../features/admin/AuditPage.tsx'));
const ReadyToPrintPage = lazy(() => import('../features/certificates/ReadyToPrintPage.tsx'));
const VerifyPage = lazy(() => import('../features/certificates/VerifyPage.tsx'));
const SearchPage = lazy(() => import('../features/linkage/SearchPage.tsx'));
const DuplicatesPage = lazy(() => import('../features/linkage/DuplicatesPage.tsx'));
const ReviewPage = lazy(() => import('../features/linkage/ReviewPage.tsx'));
const ReferralsPage = lazy(() => import('../features/protection/ReferralsPage.tsx'));
const CasesPage = lazy(() => import('../features/protection/CasesPage.tsx'));
const CasePage = lazy(() => import('../features/protection/CasePage.tsx'));
const ProtectionDashboardPage = lazy(() => import('../features/protection/DashboardPage.tsx'));
const BidsPage = lazy(() => import('../features/protection/bid/BidsPage.tsx'));
const BidPage = lazy(() => import('../features/protection/bid/BidPage.tsx'));
const ConveneBidPage = lazy(() => import('../features/protection/bid/ConveneBidPage.tsx'));
const TracingListPage = lazy(() => import('../features/protection/tracing/TracingListPage.tsx'));
const TracingFormPage = lazy(() => import('../features/protection/tracing/TracingFormPage.tsx'));
const TracingPage = lazy(() => import('../features/protection/tracing/TracingPage.tsx'));

export const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage /> },
  // Public: anyone holding a certificate checks it here, signed in or not, online or not.
  {
    path: '/verify',
    element: (
      <Suspense fallback={null}>
        <VerifyPage />
      </Suspense>
    ),
  },
  {
    element: (
      <RequireSignIn>
        <Shell />
      </RequireSignIn>
    ),
    children: [
      { index: true, element: <Navigate to="/queues" replace /> },
      { path: 'queues', element: <QueuesPage /> },
      { path: 'queues/:queue', element: <QueuesPage /> },
      { path: 'births/new', element: <DeclarationPage /> },
      { path: 'births/:id', element: <RecordPage /> },
      { path: 'births/:id/declare', element: <DeclarationPage /> },
      { path: 'births/:id/correct', element: <DeclarationPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: 'notifications/new', element: <NotificationFormPage /> },
      { path: 'outbox', element: <OutboxPage /> },
      { path: 'account', element: <AccountPage /> },
      { path: 'admin/users', element: <UsersPage /> },
      { path: 'admin/clients', element: <ClientsPage /> },
      { path: 'admin/audit', element: <AuditPage /> },
      { path: 'certificates/ready', element: <ReadyToPrintPage /> },
      // What is searched for stays in the screen's state: /search never carries a name or an IIN.
      { path: 'search', element: <SearchPage /> },
      { path: 'duplicates', element: <DuplicatesPage /> },
      { path: 'duplicates/:id', element: <ReviewPage /> },
      { path: 'protection/referrals', element: <ReferralsPage /> },
      { path: 'protection/cases', element: <CasesPage /> },
      { path: 'protection/cases/:id', element: <CasePage /> },
      { path: 'protection/dashboard', element: <ProtectionDashboardPage /> },
      // Best-interests determinations: the panel's sign-off list, one BID's guided flow, convening one on a case.
      { path: 'protection/bids', element: <BidsPage /> },
      { path: 'protection/bids/:id', element: <BidPage /> },
      { path: 'protection/cases/:caseId/bids/new', element: <ConveneBidPage /> },
      // Family tracing: the requests, a new request, one request with its matches and follow-up.
      { path: 'protection/tracing', element: <TracingListPage /> },
      { path: 'protection/tracing/new', element: <TracingFormPage /> },
      { path: 'protection/tracing/:id', element: <TracingPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
