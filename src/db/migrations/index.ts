import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './20261129_0001_initial.ts';
import * as historyWithoutForeignKeys from './20261129_0002_history_without_foreign_keys.ts';
import * as lifecycleReasons from './20261202_0030_lifecycle_reasons_and_personnel_numbers.ts';
import * as adminCatalog from './20261202_0050_admin_catalog.ts';
import * as enrolmentsRunStatusIndex from './20261202_0051_enrolments_run_status_index.ts';
import * as proofFiles from './20261202_0020_proof_files.ts';
import * as sessionFlash from './20261202_0021_session_flash.ts';
import * as participantLifecycle from './20261202_0040_participant_lifecycle.ts';
import * as runWaitingList from './20261202_0060_run_waiting_list.ts';
import * as userAccounts from './20261202_0061_user_accounts.ts';
import * as csvImportStaging from './20261202_0062_csv_import_staging.ts';
import * as historyFilters from './20261202_0063_history_filters.ts';
import * as calendarFeeds from './20261202_0120_calendar_feeds.ts';
import * as organisationBranding from './20261202_0121_organisation_branding.ts';
import * as outbox from './20261202_0100_outbox.ts';
import * as apiTokens from './20261202_0140_api_tokens.ts';
import * as userSearchTrigrams from './20261202_0160_user_search_trigrams.ts';
import * as webhooks from './20261202_0170_webhooks.ts';
import * as openTermIndex from './20261202_0180_open_term_index.ts';
import * as historyEnrolmentFieldIndex from './20261203_0190_history_enrolment_field_index.ts';
import * as historySystemPartition from './20261203_0200_history_system_partition.ts';
import * as historySystemTableSqlite from './20261203_0210_history_system_table_sqlite.ts';

/**
 * Every migration, by name. Listed statically rather than read from the folder, so the same code
 * runs under the server, the CLI and the test runner without file-system discovery.
 */
const migrations: Record<string, Migration> = {
  '20261129_0001_initial': initial,
  '20261129_0002_history_without_foreign_keys': historyWithoutForeignKeys,
  '20261202_0030_lifecycle_reasons_and_personnel_numbers': lifecycleReasons,
  '20261202_0050_admin_catalog': adminCatalog,
  '20261202_0051_enrolments_run_status_index': enrolmentsRunStatusIndex,
  '20261202_0020_proof_files': proofFiles,
  '20261202_0021_session_flash': sessionFlash,
  '20261202_0040_participant_lifecycle': participantLifecycle,
  '20261202_0060_run_waiting_list': runWaitingList,
  '20261202_0061_user_accounts': userAccounts,
  '20261202_0062_csv_import_staging': csvImportStaging,
  '20261202_0063_history_filters': historyFilters,
  '20261202_0120_calendar_feeds': calendarFeeds,
  '20261202_0121_organisation_branding': organisationBranding,
  '20261202_0100_outbox': outbox,
  '20261202_0140_api_tokens': apiTokens,
  '20261202_0160_user_search_trigrams': userSearchTrigrams,
  '20261202_0170_webhooks': webhooks,
  '20261202_0180_open_term_index': openTermIndex,
  '20261203_0190_history_enrolment_field_index': historyEnrolmentFieldIndex,
  '20261203_0200_history_system_partition': historySystemPartition,
  '20261203_0210_history_system_table_sqlite': historySystemTableSqlite,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
