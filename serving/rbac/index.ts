/** Who may read which student's session, and the roster relationships behind it. */
export { type AclLoadSummary, loadAclFromRoster, type RosterEntities } from './acl-loader.js';
export {
  type RbacTarget,
  rbacMatrix,
  rbacTargetMeaning,
  rbacTargets,
  renderRbacMatrix,
  type SessionReadScope,
  sessionReadScopes,
} from './matrix.js';
export { type ReadGrant, readGrantOf } from './scope.js';
