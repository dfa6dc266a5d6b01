export { type BadgeActor, defineAchievement, mayAward, mayDefine } from './achievements.ts'
export { ArchiveError, exportVerificationArchive } from './archive/export.ts'
export {
  awardForAttendance,
  awardManually,
  changeAwardStatus,
  issueCredential,
  setVisibility,
} from './awards.ts'
export { claimWithCode, createClaimCode } from './claims.ts'
export { badgeConsoleModule } from './console/module.ts'
export { badgeEvidenceModule } from './evidence/module.ts'
export { badgesModule } from './module.ts'
export { type EarnableBadge, type HeldBadge, type LearnerBadges, learnerBadges } from './suggestions.ts'
export { badgeVerifierModule } from './verify/module.ts'
export { badgeWalletModule } from './wallet/module.ts'
