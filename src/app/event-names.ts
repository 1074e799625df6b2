// The events tsdbt logs, with the code each carries in its JSON log line (`info.code`), and the
// names `warn_error_options` may name. dbt 1.11 accepts the names of the classes in dbt_common's,
// dbt-core's and dbt-adapters' `events/types.py` (dbt.events.ALL_EVENT_NAMES, which also takes in
// the level classes those modules import) and refuses any other with "X is not a valid dbt error
// name." (dbt_common's WarnErrorOptionsV2). Listed, with each class's `code()`, from dbt-core
// 1.11.latest, dbt-adapters 802d40f and dbt-common fccab62. tsdbt's own events have codes `TS001`
// on: dbt's are one letter and three digits (A, D, E, I, M, P, Q, W, Z; T is its tests'), so
// no tsdbt code can be one of dbt's, now or later.

/** dbt's events and their codes (each event class's `code()`). */
const DBT_EVENT_CODES: Readonly<Record<string, string>> = {
  AdapterDeprecationWarning: 'D005', AdapterEventDebug: 'E001', AdapterEventError: 'E004', AdapterEventInfo: 'E002',
  AdapterEventWarning: 'E003', AdapterImportError: 'E035', AdapterRegistered: 'E034',
  ArgumentsPropertyInGenericTestDeprecation: 'D038', ArtifactUploadError: 'Z061', ArtifactUploadSkipped: 'Z063',
  ArtifactUploadSuccess: 'Z062', ArtifactWritten: 'P001', BehaviorChangeEvent: 'D000', BuildingCatalog: 'E044',
  CacheAction: 'E022', CacheDumpGraph: 'E031', CacheMiss: 'E013', CannotGenerateDocs: 'E043',
  CatalogGenerationError: 'E040', CatalogWritten: 'E042', CatchableExceptionOnRun: 'W002', CheckCleanPath: 'Z012',
  CheckNodeTestFailure: 'Z027', CodeExecution: 'E038', CodeExecutionStatus: 'E039', ColTypeChange: 'E019',
  CollectFreshnessReturnSignature: 'D012', CommandCompleted: 'Q039', CompileComplete: 'Q002', CompiledNode: 'Q042',
  ConcurrencyLine: 'Q027', ConfigDataPathDeprecation: 'D004', ConfigFolderDirectory: 'A018',
  ConfigLogPathDeprecation: 'D010', ConfigSourcePathDeprecation: 'D003', ConfigTargetPathDeprecation: 'D011',
  ConfirmCleanPath: 'Z013', ConnectionClosed: 'E010', ConnectionClosedInCleanup: 'E008', ConnectionLeftOpen: 'E011',
  ConnectionLeftOpenInCleanup: 'E007', ConnectionReused: 'E006', ConnectionUsed: 'E015',
  ConstraintNotEnforced: 'E048', ConstraintNotSupported: 'E049', CustomKeyInConfigDeprecation: 'D026',
  CustomKeyInObjectDeprecation: 'D027', CustomOutputPathInSourceFreshnessDeprecation: 'D029',
  CustomTopLevelKeyDeprecation: 'D025', DatabaseErrorRunningHook: 'E045', DebugCmdOut: 'Z047',
  DebugCmdResult: 'Z048', DefaultSelector: 'Q023', DeprecatedModel: 'I065', DeprecatedReference: 'I067',
  DeprecationsSummary: 'D028', DepsAddPackage: 'M032', DepsCreatingLocalSymlink: 'Z037',
  DepsFoundDuplicatePackage: 'M033', DepsInstallInfo: 'M015', DepsListSubdirectory: 'M018', DepsLockUpdating: 'M031',
  DepsNoPackagesFound: 'M013', DepsNotifyUpdatesAvailable: 'M019', DepsScrubbedPackageName: 'M035',
  DepsSetDownloadDirectory: 'M028', DepsStartPackageInstall: 'M014', DepsSymlinkNotAvailable: 'Z038',
  DepsUnpinned: 'M029', DepsUpToDate: 'M017', DepsUpdateAvailable: 'M016', DisableTracking: 'Z039',
  DuplicateNameDistinctNodeTypesDeprecation: 'D040', DuplicateYAMLKeysDeprecation: 'D024', EndOfRunSummary: 'Z030',
  EndRunResult: 'Q037', EnsureGitInstalled: 'Z036', EnvironmentVariableNamespaceDeprecation: 'D036',
  EnvironmentVariableRenamed: 'D009', ExposureNameDeprecation: 'D007', FinishedCleanPaths: 'Z015',
  FinishedRunningStats: 'E047', FlushEvents: 'Z042', FlushEventsFailure: 'Z043', Formatting: 'Z017',
  FoundStats: 'W006', FreshnessCheckComplete: 'Q003', FreshnessConfigProblem: 'I073', GenericExceptionOnRun: 'W004',
  GenericJSONSchemaValidationDeprecation: 'D022', GetMetaKeyWarning: 'D041', GitNothingToDo: 'M005',
  GitProgressCheckedOutAt: 'M007', GitProgressCheckoutRevision: 'M002', GitProgressPullingNewDependency: 'M004',
  GitProgressUpdatedCheckoutRange: 'M006', GitProgressUpdatingExistingDependency: 'M003',
  GitSparseCheckoutSubdirectory: 'M001', HooksRunning: 'E046', InputFileDiffError: 'I001',
  InternalDeprecation: 'D008', InternalErrorOnRun: 'W003', InvalidConcurrentBatchesConfig: 'I075',
  InvalidDisabledTargetInTestNode: 'I050', InvalidMacroAnnotation: 'I076', InvalidOptionYAML: 'A008',
  InvalidProfileTemplateYAML: 'A024', InvalidValueForField: 'I008', JinjaLogDebug: 'I063', JinjaLogInfo: 'I062',
  JinjaLogWarning: 'I061', ListCmdOut: 'Z049', ListRelations: 'E014', LogBatchResult: 'Q046', LogCancelLine: 'Q022',
  LogDbtProfileError: 'A011', LogDbtProjectError: 'A009', LogDebugStackTrace: 'Z011', LogFreshnessResult: 'Q018',
  LogFunctionResult: 'Q047', LogHookEndLine: 'Q033', LogHookStartLine: 'Q032', LogModelResult: 'Q012',
  LogNodeNoOpResult: 'Q019', LogNodeResult: 'Q008', LogSeedResult: 'Q016', LogSkipBecauseError: 'Z034',
  LogSnapshotResult: 'Q015', LogStartBatch: 'Q045', LogStartLine: 'Q011', LogTestResult: 'Q007',
  MFCumulativeTypeParamsDeprecation: 'D019', MFTimespineWithoutYamlConfigurationDeprecation: 'D018',
  MacroNotFoundForPatch: 'I059', MainEncounteredError: 'Z002', MainKeyboardInterrupt: 'Z001', MainReportArgs: 'A002',
  MainReportVersion: 'A001', MainStackTrace: 'Z003', MainTrackingUserState: 'A003', MarkSkippedChildren: 'Z033',
  MetricAttributesRenamed: 'D006', MicrobatchExecutionDebug: 'Q044',
  MicrobatchMacroOutsideOfBatchesDeprecation: 'D020', MicrobatchModelNoEventTimeInputs: 'I074',
  MissingArgumentsPropertyInGenericTestDeprecation: 'D039', MissingPlusPrefixDeprecation: 'D037',
  MissingProfileTarget: 'A005', ModelParamUsageDeprecation: 'D032', ModulesItertoolsUsageDeprecation: 'D034',
  NewConnection: 'E005', NewConnectionOpening: 'E037', NoNodeForYamlKey: 'I058', NoNodesForSelectionCriteria: 'M030',
  NoNodesSelected: 'Q038', NoSampleProfileFound: 'A019', NodeCompiling: 'Q030', NodeConnectionReleaseError: 'W005',
  NodeExecuting: 'Q031', NodeFinished: 'Q025', NodeNotFoundOrDisabled: 'I060', NodeStart: 'Q024', Note: 'Z050',
  NothingToDo: 'Q035', OpenCommand: 'Z016', PackageInstallPathDeprecation: 'D002',
  PackageMaterializationOverrideDeprecation: 'D016', PackageNodeDependsOnRootProjectNode: 'I077',
  PackageRedirectDeprecation: 'D001', ParseInlineNodeError: 'I069', ParsePerfInfoPath: 'I010',
  ParsedFileLoadFailed: 'I029', PartialParsingEnabled: 'I040', PartialParsingError: 'I016',
  PartialParsingErrorProcessingFile: 'I014', PartialParsingFile: 'I041', PartialParsingNotEnabled: 'I028',
  PartialParsingSkipParsing: 'I017', PluginLoadError: 'E036', PrintEvent: 'Z052',
  ProfileWrittenWithProjectTemplateYAML: 'A022', ProfileWrittenWithSample: 'A020',
  ProfileWrittenWithTargetTemplateYAML: 'A021', ProjectCreated: 'A026', ProjectFlagsMovedDeprecation: 'D013',
  ProjectNameAlreadyExists: 'A025', PropertyMovedToConfigDeprecation: 'D030', ProtectedCleanPath: 'Z014',
  QueryCancelationUnsupported: 'Q026', RecordReplayIssue: 'Z053', RecordRetryException: 'M021',
  RegistryIndexProgressGETRequest: 'M022', RegistryIndexProgressGETResponse: 'M023',
  RegistryProgressGETRequest: 'M008', RegistryProgressGETResponse: 'M009', RegistryResponseExtraNestedKeys: 'M027',
  RegistryResponseMissingNestedKeys: 'M026', RegistryResponseMissingTopKeys: 'M025',
  RegistryResponseUnexpectedType: 'M024', ResourceNamesWithSpacesDeprecation: 'D015', ResourceReport: 'Z051',
  RetryExternalCall: 'M020', Rollback: 'E012', RollbackFailed: 'E009', RunResultError: 'Z024',
  RunResultErrorNoMessage: 'Z025', RunResultFailure: 'Z022', RunResultWarning: 'Z021',
  RunResultWarningMessage: 'Z046', RunningOperationCaughtError: 'Q001', RunningOperationUncaughtError: 'Q036',
  SQLCommit: 'E018', SQLCompiledPath: 'Z026', SQLQuery: 'E016', SQLQueryStatus: 'E017', SQLRunnerException: 'Q006',
  SchemaCreation: 'E020', SchemaDrop: 'E021', SeedExceedsLimitAndPathChanged: 'I054',
  SeedExceedsLimitChecksumChanged: 'I055', SeedExceedsLimitSamePath: 'I053', SeedHeader: 'Q004',
  SeedIncreased: 'I052', SelectorReportInvalidSelector: 'M010', SemanticValidationFailure: 'I070',
  SendEventFailure: 'Z041', SendingEvent: 'Z040', SettingUpProfile: 'A023', ShowNode: 'Q041',
  SkippingDetails: 'Q034', SnapshotTimestampWarning: 'Q043', SourceFreshnessProjectHooksNotRun: 'D017',
  SourceOverrideDeprecation: 'D035', SpacesInResourceNameDeprecation: 'D014', StarterProjectPath: 'A017',
  StateCheckVarsHash: 'I025', StatsLine: 'Z023', SystemCouldNotWrite: 'Z005', SystemExecutingCmd: 'Z006',
  SystemReportReturnCode: 'Z009', SystemStdErr: 'Z008', SystemStdOut: 'Z007', TestsConfigDeprecation: 'D012',
  TimingInfoCollected: 'Z010', TrackingInitializeFailure: 'Z044', TypeCodeNotFound: 'E050',
  UnableToPartialParse: 'I024', UnexpectedJinjaBlockDeprecation: 'D023', UnpinnedRefNewVersionAvailable: 'I064',
  UnsupportedConstraintMaterialization: 'I068', UnusedResourceConfigPath: 'I051', UnusedTables: 'I056',
  UnversionedBreakingChange: 'I071', UpcomingReferenceDeprecation: 'I066', ValidationWarning: 'I009',
  WEOIncludeExcludeDeprecation: 'D031', WarnStateTargetEqual: 'I072', WriteCatalogFailure: 'E041',
  WritingInjectedSQLForNode: 'Q029', WrongResourceSchemaFile: 'I057',
};

/** The level classes dbt.events.ALL_EVENT_NAMES takes in with the event classes (no events themselves). */
const DBT_LEVEL_CLASSES = ['DebugLevel', 'DynamicLevel', 'ErrorLevel', 'EventLevel', 'InfoLevel', 'WarnLevel'];

/** tsdbt's own events (the loader's, the scheduler's, progress lines dbt has no event for) and their codes. */
const TSDBT_EVENT_CODES: Readonly<Record<string, string>> = {
  AdapterInfo: 'TS001', AdapterWarning: 'TS002', AssetPathRefused: 'TS003', CompileProgress: 'TS004',
  DepsInfo: 'TS005', DocsProgress: 'TS006', FlagWithoutEffect: 'TS007', InternalErrorStack: 'TS008',
  LoaderOffsetReset: 'TS009', LoaderProgress: 'TS010', LoaderRetry: 'TS011', LogFileUnwritable: 'TS012',
  NodeProgress: 'TS013', ParseCompleted: 'TS029', ParseProgress: 'TS014', ParseWarning: 'TS015', RunOperationResult: 'TS016',
  RunResult: 'TS017', SampleProduced: 'TS018', ScheduleRetry: 'TS019', ScheduleRunAbandoned: 'TS020',
  ScheduleRunFinished: 'TS021', ScheduleRunStarted: 'TS022', ScheduleSkipped: 'TS023',
  SeedColumnNameShortened: 'TS024', SourceLoaded: 'TS025', StaticParserRendered: 'TS026',
  StaticParserSummary: 'TS027', UnsupportedPythonModel: 'TS028',
};

/**
 * Names `warn_error_options` kept accepting since tsdbt's JSON lines took dbt's names (the logger's
 * old default names, now dbt's `Note`, and progress lines now named as dbt names them).
 */
const FORMER_NAMES = ['Info', 'Debug', 'Warning', 'Error', 'RunFinished', 'BatchStart', 'BatchFinished', 'FreshnessStart', 'FreshnessFinished'];

/** Every name `error`, `warn` and `silence` may list (with dbt_common's `Deprecations` group). */
export const VALID_EVENT_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(DBT_EVENT_CODES),
  ...DBT_LEVEL_CLASSES,
  ...Object.keys(TSDBT_EVENT_CODES),
  ...FORMER_NAMES,
  'Deprecations',
]);

/** The code of an event tsdbt logs (`Z050` for dbt's Note, `TS004` for tsdbt's CompileProgress); undefined for a name of neither list. */
export function eventCode(name: string): string | undefined {
  return DBT_EVENT_CODES[name] ?? TSDBT_EVENT_CODES[name];
}

/** Whether the name is one of dbt's events (not tsdbt's own). */
export function isDbtEvent(name: string): boolean {
  return name in DBT_EVENT_CODES;
}
