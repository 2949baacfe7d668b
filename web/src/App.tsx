// Routes and the first-run / sign-in gate in front of the app shell.
import { useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { UNAUTHORIZED_EVENT } from './api/client.ts';
import { getMe, getSetupStatus, keys } from './api/identity.ts';
import type { Me } from './api/types.ts';
import { Layout } from './components/Layout.tsx';
import { ErrorState, Loading } from './components/States.tsx';
import { MeContext } from './features/identity/auth.tsx';
import { LoginPage } from './features/identity/LoginPage.tsx';
import { FinishSetupScreen, SetupPage } from './features/identity/SetupPage.tsx';
import { ContactsPage } from './features/contacts/ContactsPage.tsx';
import { ContactDetailPage } from './features/contacts/ContactDetailPage.tsx';
import { AccountsPage } from './features/accounts/AccountsPage.tsx';
import { AccountDetailPage } from './features/accounts/AccountDetailPage.tsx';
import { ImportsPage } from './features/imports/ImportsPage.tsx';
import { NewImportPage } from './features/imports/NewImportPage.tsx';
import { ImportDetailPage } from './features/imports/ImportDetailPage.tsx';
import { UsersPage } from './features/settings/UsersPage.tsx';
import { ApiKeysPage } from './features/settings/ApiKeysPage.tsx';
import { PropertiesPage } from './features/settings/PropertiesPage.tsx';
import { AuditLogPage } from './features/settings/AuditLogPage.tsx';
import { WebhooksPage } from './features/webhooks/WebhooksPage.tsx';
import { SourcesPage } from './features/tracking/SourcesPage.tsx';
import { SourceDetailPage } from './features/tracking/SourceDetailPage.tsx';
import { LiveEventsPage } from './features/tracking/LiveEventsPage.tsx';
import { ScoringSettingsPage } from './features/scoring/ScoringSettingsPage.tsx';
import { ModelEditorPage } from './features/scoring/ModelEditorPage.tsx';
import { HandoffQueuePage } from './features/handoff/HandoffQueuePage.tsx';
import { SymptomsPage } from './features/handoff/SymptomsPage.tsx';
import { LifecycleSettingsPage } from './features/lifecycle/LifecycleSettingsPage.tsx';
import { DealsPage } from './features/deals/DealsPage.tsx';
import { DealDetailPage } from './features/deals/DealDetailPage.tsx';
import { CampaignsPage } from './features/campaigns/CampaignsPage.tsx';
import { FunnelPage } from './features/analytics/FunnelPage.tsx';
import { AttributionPage } from './features/analytics/AttributionPage.tsx';
import { CpodPage } from './features/analytics/CpodPage.tsx';
import { KpiDashboardPage } from './features/analytics/KpiDashboardPage.tsx';
import { BoardPage } from './features/analytics/BoardPage.tsx';
import { CampaignDetailPage } from './features/campaigns/CampaignDetailPage.tsx';
import { TemplatesPage as EmailTemplatesPage } from './features/email/TemplatesPage.tsx';
import { TemplateEditorPage } from './features/email/TemplateEditorPage.tsx';
import { OutboxPage } from './features/email/OutboxPage.tsx';
import { SuppressionsPage } from './features/email/SuppressionsPage.tsx';
import { TopicsPage } from './features/email/TopicsPage.tsx';
import { DomainPage as EmailDomainPage } from './features/email/DomainPage.tsx';
import { HealthPage as EmailHealthPage } from './features/email/HealthPage.tsx';
import { ProgramsPage } from './features/nurture/ProgramsPage.tsx';
import { ProgramPage } from './features/nurture/ProgramPage.tsx';
import { CoverageMapPage } from './features/content/CoverageMapPage.tsx';
import { ContentAuditPage } from './features/content/ContentAuditPage.tsx';
import { LibraryPage } from './features/content/LibraryPage.tsx';
import { FieldIntelPage } from './features/content/FieldIntelPage.tsx';
import { BacklogPage } from './features/content/BacklogPage.tsx';
import { NetworkPage } from './features/content/NetworkPage.tsx';
import { ContentListPage } from './features/content/ContentListPage.tsx';
import { ContentItemPage } from './features/content/ContentItemPage.tsx';
import { CalendarPage } from './features/content/CalendarPage.tsx';
import { ObjectivesPage } from './features/objectives/ObjectivesPage.tsx';
import { ObjectiveDetailPage } from './features/objectives/ObjectiveDetailPage.tsx';
import { CostsPage } from './features/plan/CostsPage.tsx';
import { ToolsPage } from './features/plan/ToolsPage.tsx';
import { RandomActsPage } from './features/plan/RandomActsPage.tsx';
import { PlanningPage } from './features/plan/PlanningPage.tsx';
import { FitnessPage } from './features/plan/FitnessPage.tsx';
import { MarketsPage } from './features/market/MarketsPage.tsx';
import { SegmentsPage } from './features/market/SegmentsPage.tsx';
import { SegmentPage } from './features/market/SegmentPage.tsx';
import { SegmentBuilderPage } from './features/market/SegmentBuilderPage.tsx';
import { ListPage, ListsPage } from './features/market/ListsPage.tsx';
import { NotFoundPage, RequirePermission, SettingsIndex } from './components/Guards.tsx';

function FullPage({ children }: { children: ReactNode }) {
  return <div className="auth-page">{children}</div>;
}

function Shell({ me }: { me: Me | null }) {
  const location = useLocation();
  if (!me) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }
  return (
    <MeContext.Provider value={me}>
      <Layout />
    </MeContext.Provider>
  );
}

export function App() {
  const qc = useQueryClient();
  const location = useLocation();
  const setup = useQuery({ queryKey: keys.setup, queryFn: getSetupStatus, staleTime: Infinity });
  const me = useQuery({ queryKey: keys.me, queryFn: getMe, staleTime: 60_000, enabled: setup.data?.needsSetup === false });

  useEffect(() => {
    const onUnauthorized = () => qc.setQueryData(keys.me, null);
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [qc]);

  if (setup.isPending) return <FullPage><Loading /></FullPage>;
  if (setup.isError) {
    return (
      <FullPage>
        <div className="auth-card">
          <ErrorState error={setup.error} title="revloop is not reachable" retry={() => setup.refetch()} />
        </div>
      </FullPage>
    );
  }
  const needsSetup = setup.data.needsSetup;
  if (location.pathname === '/setup') return <SetupPage needsSetup={needsSetup} />;
  if (needsSetup) return <FinishSetupScreen />;
  if (me.isPending) return <FullPage><Loading /></FullPage>;
  if (me.isError) {
    return (
      <FullPage>
        <div className="auth-card">
          <ErrorState error={me.error} retry={() => me.refetch()} />
        </div>
      </FullPage>
    );
  }

  return (
    <Routes>
      <Route path="/login" element={<LoginPage me={me.data} />} />
      <Route element={<Shell me={me.data} />}>
        <Route index element={<Navigate to="/contacts" replace />} />
        <Route path="contacts" element={<ContactsPage />} />
        <Route path="contacts/:id" element={<ContactDetailPage />} />
        <Route path="accounts" element={<AccountsPage />} />
        <Route path="accounts/:id" element={<AccountDetailPage />} />
        <Route path="markets" element={<RequirePermission permission="market:read"><MarketsPage /></RequirePermission>} />
        <Route path="segments" element={<RequirePermission permission="market:read"><SegmentsPage /></RequirePermission>} />
        <Route path="segments/new" element={<RequirePermission permission="market:manage"><SegmentBuilderPage /></RequirePermission>} />
        <Route path="segments/:id" element={<RequirePermission permission="market:read"><SegmentPage /></RequirePermission>} />
        <Route path="segments/:id/edit" element={<RequirePermission permission="market:manage"><SegmentBuilderPage /></RequirePermission>} />
        <Route path="lists" element={<RequirePermission permission="market:read"><ListsPage /></RequirePermission>} />
        <Route path="lists/:id" element={<RequirePermission permission="market:read"><ListPage /></RequirePermission>} />
        <Route path="imports" element={<RequirePermission permission="contacts:import"><ImportsPage /></RequirePermission>} />
        <Route path="imports/new" element={<RequirePermission permission="contacts:import"><NewImportPage /></RequirePermission>} />
        <Route path="imports/:id" element={<RequirePermission permission="contacts:import"><ImportDetailPage /></RequirePermission>} />
        <Route path="tracking" element={<Navigate to="/tracking/sources" replace />} />
        <Route path="tracking/sources" element={<RequirePermission permission="events:read"><SourcesPage /></RequirePermission>} />
        <Route path="tracking/sources/:id" element={<RequirePermission permission="events:read"><SourceDetailPage /></RequirePermission>} />
        <Route path="tracking/live" element={<RequirePermission permission="events:read"><LiveEventsPage /></RequirePermission>} />
        <Route path="handoff" element={<RequirePermission permission="lifecycle:read"><HandoffQueuePage /></RequirePermission>} />
        <Route path="symptoms" element={<RequirePermission permission="lifecycle:read"><SymptomsPage /></RequirePermission>} />
        <Route path="settings" element={<SettingsIndex />} />
        <Route path="settings/users" element={<RequirePermission permission="users:manage"><UsersPage /></RequirePermission>} />
        <Route path="settings/api-keys" element={<RequirePermission permission="api_keys:manage"><ApiKeysPage /></RequirePermission>} />
        <Route path="settings/properties" element={<RequirePermission permission="properties:manage"><PropertiesPage /></RequirePermission>} />
        <Route path="settings/webhooks" element={<RequirePermission permission="webhooks:manage"><WebhooksPage /></RequirePermission>} />
        <Route path="settings/audit-log" element={<RequirePermission permission="audit:read"><AuditLogPage /></RequirePermission>} />
        <Route path="deals" element={<RequirePermission permission="deals:read"><DealsPage /></RequirePermission>} />
        <Route path="deals/:id" element={<RequirePermission permission="deals:read"><DealDetailPage /></RequirePermission>} />
        <Route path="analytics/funnel" element={<RequirePermission permission="analytics:read"><FunnelPage /></RequirePermission>} />
        <Route path="analytics/attribution" element={<RequirePermission permission="analytics:read"><AttributionPage /></RequirePermission>} />
        <Route path="analytics/cpod" element={<RequirePermission permission="analytics:read"><CpodPage /></RequirePermission>} />
        <Route path="analytics/kpis" element={<RequirePermission permission="analytics:read"><KpiDashboardPage /></RequirePermission>} />
        <Route path="analytics/board" element={<RequirePermission permission="analytics:read"><BoardPage /></RequirePermission>} />
        <Route path="campaigns" element={<RequirePermission permission="campaigns:read"><CampaignsPage /></RequirePermission>} />
        <Route path="campaigns/:id" element={<RequirePermission permission="campaigns:read"><CampaignDetailPage /></RequirePermission>} />
        <Route path="email" element={<Navigate to="/email/templates" replace />} />
        <Route path="email/templates" element={<RequirePermission permission="email:read"><EmailTemplatesPage /></RequirePermission>} />
        <Route path="email/templates/:id" element={<RequirePermission permission="email:read"><TemplateEditorPage /></RequirePermission>} />
        <Route path="email/outbox" element={<RequirePermission permission="email:read"><OutboxPage /></RequirePermission>} />
        <Route path="email/topics" element={<RequirePermission permission="email:read"><TopicsPage /></RequirePermission>} />
        <Route path="email/suppressions" element={<RequirePermission permission="email:read"><SuppressionsPage /></RequirePermission>} />
        <Route path="email/domain" element={<RequirePermission permission="email:read"><EmailDomainPage /></RequirePermission>} />
        <Route path="email/health" element={<RequirePermission permission="email:read"><EmailHealthPage /></RequirePermission>} />
        <Route path="nurture" element={<RequirePermission permission="nurture:read"><ProgramsPage /></RequirePermission>} />
        <Route path="nurture/:id" element={<RequirePermission permission="nurture:read"><ProgramPage /></RequirePermission>} />
        <Route path="objectives" element={<RequirePermission permission="objectives:read"><ObjectivesPage /></RequirePermission>} />
        <Route path="objectives/:id" element={<RequirePermission permission="objectives:read"><ObjectiveDetailPage /></RequirePermission>} />
        <Route path="content/coverage" element={<RequirePermission permission="content:read"><CoverageMapPage /></RequirePermission>} />
        <Route path="content/audit" element={<RequirePermission permission="content:read"><ContentAuditPage /></RequirePermission>} />
        <Route path="content/library" element={<RequirePermission permission="library:use"><LibraryPage /></RequirePermission>} />
        <Route path="content/intel" element={<RequirePermission permission="content:read"><FieldIntelPage /></RequirePermission>} />
        <Route path="content/backlog" element={<RequirePermission permission="content:read"><BacklogPage /></RequirePermission>} />
        <Route path="content/network" element={<RequirePermission permission="content:read"><NetworkPage /></RequirePermission>} />
        <Route path="content" element={<RequirePermission permission="content:read"><ContentListPage /></RequirePermission>} />
        <Route path="content/calendar" element={<RequirePermission permission="content:read"><CalendarPage /></RequirePermission>} />
        <Route path="content/:id" element={<RequirePermission permission="content:read"><ContentItemPage /></RequirePermission>} />
        <Route path="settings/lifecycle" element={<RequirePermission permission="lifecycle:read"><LifecycleSettingsPage /></RequirePermission>} />
        <Route path="settings/scoring" element={<RequirePermission permission="scoring:read"><ScoringSettingsPage /></RequirePermission>} />
        <Route path="settings/scoring/models/:id" element={<RequirePermission permission="scoring:read"><ModelEditorPage /></RequirePermission>} />
        <Route path="plan/costs" element={<RequirePermission permission="spend:read"><CostsPage /></RequirePermission>} />
        <Route path="plan/tools" element={<RequirePermission permission="spend:read"><ToolsPage /></RequirePermission>} />
        <Route path="plan/random-acts" element={<RequirePermission permission="spend:read"><RandomActsPage /></RequirePermission>} />
        <Route path="plan/planning" element={<RequirePermission permission="spend:read"><PlanningPage /></RequirePermission>} />
        <Route path="plan/fitness" element={<RequirePermission permission="spend:read"><FitnessPage /></RequirePermission>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
