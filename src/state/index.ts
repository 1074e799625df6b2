// State: the artifacts of an earlier run (--state / --defer-state), how this project compares with
// them (state: selection), and deferral of refs to the relations they record (--defer).
export { readStateArtifacts, stateArtifactsFor, stateIsTargetMessage, stateNodeOf, type StateArtifacts, type StateManifest, type StateNode } from './state-artifacts.js';
export { compareWithState, type ModifiedKind, type NodeState } from './state-comparison.js';
export { Deferral, deferStateDir, type DeferSettings } from './deferral.js';
export { breakingChanges, contractBreakingChangeMessage, contractBreaks, unversionedBreakingChangeMessage, type ContractBreak } from './contract-changes.js';
