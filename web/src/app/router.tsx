import { lazy } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { PageSpinner } from '../components/PageSpinner.tsx';
import { DashboardPage } from '../features/dashboard/DashboardPage.tsx';
import { RequirePermission } from '../features/placeholders/RequirePermission.tsx';
import { AuthGate } from './AuthGate.tsx';
import { MODULES } from './modules.tsx';

// Every page but the dashboard (where the console lands) is its own chunk, loaded on the way to it (issue 10:
// the login, password, TOTP, 404 and "coming soon" pages were in the bundle every visit downloaded, with antd's
// Form, Tabs and Result illustrations).
const ComingSoonPage = lazy(() =>
  import('../features/placeholders/ComingSoonPage.tsx').then((m) => ({ default: m.ComingSoonPage })),
);
// (AppLayout's Suspense shows the spinner while it loads)
const comingSoon = MODULES.filter((m) => !m.ready).map((m) => ({
  path: m.path.slice(1),
  element: <ComingSoonPage module={m} />,
}));

const router = createBrowserRouter([
  {
    path: '/login',
    HydrateFallback: PageSpinner,
    lazy: () => import('../features/auth/LoginPage.tsx').then((m) => ({ Component: m.LoginPage })),
  },
  // 二维报到 /r/:token is not a console route: the server sends the light phone entry (web/phone.html, web/src/phone)
  {
    // 我要点单 / 进度查询·评单: the resident's phone pages (no login, no console layout)
    path: '/o/:districtId',
    HydrateFallback: PageSpinner,
    lazy: () => import('../features/orders/PublicOrderPages.tsx').then((m) => ({ Component: m.PublicOrderPage })),
  },
  {
    // 网上提议 / 活动报名签到: the youth's phone pages of a plan and of an activity QR code (no login)
    path: '/p/:id',
    HydrateFallback: PageSpinner,
    lazy: () => import('../features/activities/PhonePages.tsx').then((m) => ({ Component: m.PublicPlanPage })),
  },
  {
    path: '/a/:token',
    HydrateFallback: PageSpinner,
    lazy: () => import('../features/activities/PhonePages.tsx').then((m) => ({ Component: m.ActivityQrPage })),
  },
  {
    // 我的召集令: the youth's call inbox, opened from the personal link in the call's SMS (no login)
    path: '/y/:token',
    HydrateFallback: PageSpinner,
    lazy: () => import('../features/activities/CallInboxPage.tsx').then((m) => ({ Component: m.CallInboxPage })),
  },
  {
    path: '/t/:tracking',
    HydrateFallback: PageSpinner,
    lazy: () => import('../features/orders/PublicOrderPages.tsx').then((m) => ({ Component: m.TrackOrderPage })),
  },
  {
    path: '/',
    element: <AuthGate />,
    HydrateFallback: PageSpinner,
    children: [
      // in the entry chunk: no second round trip before the first figures
      { index: true, Component: DashboardPage },
      {
        path: 'orgs',
        element: <RequirePermission permission="org.read" />,
        children: [
          { index: true, lazy: () => import('../features/orgs/OrgsPage.tsx').then((m) => ({ Component: m.OrgsPage })) },
        ],
      },
      {
        path: 'grids',
        element: <RequirePermission permission="org.read" />,
        children: [
          {
            index: true,
            lazy: () => import('../features/grids/GridsPage.tsx').then((m) => ({ Component: m.GridsPage })),
          },
          {
            path: 'print',
            lazy: () => import('../features/grids/GridPrintPage.tsx').then((m) => ({ Component: m.GridPrintPage })),
          },
        ],
      },
      {
        path: 'people',
        element: <RequirePermission permission="person.read" />,
        children: [
          {
            index: true,
            lazy: () => import('../features/people/PeoplePage.tsx').then((m) => ({ Component: m.PeoplePage })),
          },
        ],
      },
      {
        path: 'resources',
        element: <RequirePermission permission="venue.read" />,
        children: [
          {
            index: true,
            lazy: () => import('../features/venues/VenuesPage.tsx').then((m) => ({ Component: m.VenuesPage })),
          },
          {
            path: 'funds',
            lazy: () => import('../features/venues/FundsPage.tsx').then((m) => ({ Component: m.FundsPage })),
          },
        ],
      },
      {
        path: 'activities',
        element: <RequirePermission permission="activity.read" />,
        children: [
          {
            index: true,
            lazy: () =>
              import('../features/activities/ActivitiesPage.tsx').then((m) => ({ Component: m.ActivitiesPage })),
          },
        ],
      },
      {
        path: 'orders',
        element: <RequirePermission permission="order.read" />,
        children: [
          {
            index: true,
            lazy: () => import('../features/orders/OrdersPage.tsx').then((m) => ({ Component: m.OrdersPage })),
          },
        ],
      },
      {
        path: 'notices',
        element: <RequirePermission permission="notice.read" />,
        children: [
          {
            index: true,
            lazy: () => import('../features/notices/NoticesPage.tsx').then((m) => ({ Component: m.NoticesPage })),
          },
          {
            path: ':id',
            lazy: () => import('../features/notices/ReportPage.tsx').then((m) => ({ Component: m.ReportPage })),
          },
        ],
      },
      {
        path: 'accounts',
        element: <RequirePermission permission="account.read" />,
        children: [
          {
            index: true,
            lazy: () => import('../features/accounts/AccountsPage.tsx').then((m) => ({ Component: m.AccountsPage })),
          },
        ],
      },
      {
        path: 'assessments',
        children: [
          {
            index: true,
            lazy: () =>
              import('../features/assessments/AssessmentsPage.tsx').then((m) => ({ Component: m.AssessmentsPage })),
          },
          {
            path: ':id/score',
            lazy: () => import('../features/assessments/ScoringPage.tsx').then((m) => ({ Component: m.ScoringPage })),
          },
          {
            path: ':id/results',
            element: <RequirePermission permission="assessment.read" />,
            children: [
              {
                index: true,
                lazy: () =>
                  import('../features/assessments/ResultsPage.tsx').then((m) => ({ Component: m.ResultsPage })),
              },
            ],
          },
        ],
      },
      {
        path: 'audit',
        element: <RequirePermission permission="audit.read" />,
        children: [
          {
            index: true,
            lazy: () => import('../features/audit/AuditPage.tsx').then((m) => ({ Component: m.AuditPage })),
          },
        ],
      },
      {
        path: 'screen',
        element: <RequirePermission permission="org.read" />,
        children: [
          {
            index: true,
            lazy: () => import('../features/dashboard/BigScreenPage.tsx').then((m) => ({ Component: m.BigScreenPage })),
          },
        ],
      },
      {
        path: 'password',
        lazy: () =>
          import('../features/auth/ChangePasswordPage.tsx').then((m) => ({ Component: m.ChangePasswordPage })),
      },
      {
        path: 'security',
        lazy: () => import('../features/auth/TotpPage.tsx').then((m) => ({ Component: m.TotpPage })),
      },
      ...comingSoon,
      {
        path: '*',
        lazy: () => import('../features/placeholders/NotFoundPage.tsx').then((m) => ({ Component: m.NotFoundPage })),
      },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
