import { createHash, randomBytes } from 'node:crypto'
import { Algorithm, hash, verify } from '@node-rs/argon2'
import { z } from 'zod'
import { hitRateLimit } from '../../platform/http/rate-limit.ts'
import { type Lang, translator } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import * as repo from './repository.ts'

export type Result<T, E extends string> =
  | { ok: true; value: T }
  | { ok: false; error: E; fields?: FieldIssue[] }
export interface FieldIssue {
  field: string
  /** Message key under the accounts namespace. */
  key: string
}

const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 }
export const SESSION_HOURS = 12
export const REMEMBER_DAYS = 30
const VERIFY_HOURS = 48
const RESET_MINUTES = 60
export const LIMITS = {
  signInPerIp: { limit: 30, windowSeconds: 15 * 60 },
  signInPerAccount: { limit: 8, windowSeconds: 15 * 60 },
  signUpPerIp: { limit: 10, windowSeconds: 60 * 60 },
  resetPerIp: { limit: 10, windowSeconds: 60 * 60 },
  resetPerAccount: { limit: 3, windowSeconds: 60 * 60 },
}

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email())
export const passwordSchema = z.string().min(10).max(200)

export function normaliseEmail(raw: string): string | undefined {
  const parsed = emailSchema.safeParse(raw)
  return parsed.success ? parsed.data : undefined
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2)
}

// A real hash of a random password, so a sign-in for an unknown email costs the same time.
let dummyHash: Promise<string> | undefined
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
  return dummyHash
}

async function sendTokenMail(
  platform: Platform,
  user: { id: number; email: string; language: string },
  purpose: 'verify-email' | 'reset-password',
  lang: Lang,
): Promise<void> {
  const token = newToken()
  const expiresAt = new Date(
    Date.now() + (purpose === 'verify-email' ? VERIFY_HOURS * 3600_000 : RESET_MINUTES * 60_000),
  )
  await repo.insertToken(platform.db, { tokenHash: hashToken(token), userId: user.id, purpose, expiresAt })
  const t = translator(lang)
  const path = purpose === 'verify-email' ? 'verify' : 'reset-password'
  const link = `${platform.config.publicUrl}/${lang}/account/${path}?token=${token}`
  const prefix = purpose === 'verify-email' ? 'accounts.mail.verify' : 'accounts.mail.reset'
  await platform.mail.send({
    to: user.email,
    subject: t(`${prefix}.subject`),
    text: t(`${prefix}.body`, { link, hours: VERIFY_HOURS, minutes: RESET_MINUTES }),
  })
}

export interface SignUpInput {
  email: string
  password: string
  displayName: string
}

/**
 * Creates an unverified account and emails a verification link. When the email is taken the owner
 * gets a notice instead, and the caller sees the same outcome, so the form never reveals who has an account.
 */
export async function signUp(
  platform: Platform,
  input: SignUpInput,
  context: { lang: Lang; ip: string },
): Promise<Result<void, 'invalid' | 'rate-limited'>> {
  const fields: FieldIssue[] = []
  // Checked in the order the form shows the fields, so the error summary reads top to bottom.
  const displayName = input.displayName.trim()
  if (!displayName) fields.push({ field: 'displayName', key: 'errors.displayNameMissing' })
  else if (displayName.length > 80) fields.push({ field: 'displayName', key: 'errors.displayNameLong' })
  const email = normaliseEmail(input.email)
  if (!email) fields.push({ field: 'email', key: 'errors.email' })
  if (input.password.length < 10) fields.push({ field: 'password', key: 'errors.passwordShort' })
  else if (input.password.length > 200) fields.push({ field: 'password', key: 'errors.passwordLong' })
  if (fields.length > 0 || !email) return { ok: false, error: 'invalid', fields }

  const limit = await hitRateLimit(
    platform.db,
    `sign-up:ip:${context.ip}`,
    LIMITS.signUpPerIp.limit,
    LIMITS.signUpPerIp.windowSeconds,
  )
  if (!limit.allowed) return { ok: false, error: 'rate-limited' }

  const passwordHash = await hashPassword(input.password)
  const id = await repo.insertUser(platform.db, { email, passwordHash, displayName, language: context.lang })
  if (id) {
    await sendTokenMail(platform, { id, email, language: context.lang }, 'verify-email', context.lang)
  } else {
    const existing = await repo.findUserByEmail(platform.db, email)
    const lang = (existing?.language ?? context.lang) as Lang
    const t = translator(lang)
    await platform.mail.send({
      to: email,
      subject: t('accounts.mail.exists.subject'),
      text: t('accounts.mail.exists.body', {
        signIn: `${platform.config.publicUrl}/${lang}/account/sign-in`,
        reset: `${platform.config.publicUrl}/${lang}/account/forgot-password`,
      }),
    })
  }
  return { ok: true, value: undefined }
}

/** Consumes a verification link. */
export async function verifyEmail(platform: Platform, token: string): Promise<Result<void, 'invalid-token'>> {
  const used = await repo.consumeToken(platform.db, hashToken(token), 'verify-email')
  if (!used) return { ok: false, error: 'invalid-token' }
  await repo.markEmailVerified(platform.db, used.userId)
  return { ok: true, value: undefined }
}

export interface NewSession {
  token: string
  sessionId: number
  userId: number
  remember: boolean
  expiresAt: Date
}

export function sessionExpiry(remember: boolean, from = Date.now()): Date {
  return new Date(from + (remember ? REMEMBER_DAYS * 24 : SESSION_HOURS) * 3600_000)
}

/** Checks the password and opens a new server-side session (a new id every time: no fixation). */
export async function signIn(
  platform: Platform,
  input: { email: string; password: string; remember: boolean },
  context: { ip: string; userAgent: string },
): Promise<Result<NewSession, 'invalid' | 'wrong-credentials' | 'unverified' | 'rate-limited'>> {
  const email = normaliseEmail(input.email)
  const fields: FieldIssue[] = []
  if (!email) fields.push({ field: 'email', key: 'errors.email' })
  if (!input.password) fields.push({ field: 'password', key: 'errors.passwordMissing' })
  if (fields.length > 0 || !email) return { ok: false, error: 'invalid', fields }

  const { db } = platform
  const perIp = await hitRateLimit(
    db,
    `sign-in:ip:${context.ip}`,
    LIMITS.signInPerIp.limit,
    LIMITS.signInPerIp.windowSeconds,
  )
  const perAccount = await hitRateLimit(
    db,
    `sign-in:email:${email}`,
    LIMITS.signInPerAccount.limit,
    LIMITS.signInPerAccount.windowSeconds,
  )
  if (!perIp.allowed || !perAccount.allowed) return { ok: false, error: 'rate-limited' }

  const user = await repo.findUserByEmail(db, email)
  const passwordOk = await verify(user?.passwordHash ?? (await dummy()), input.password)
  if (!user || !passwordOk) return { ok: false, error: 'wrong-credentials' }
  if (!user.emailVerified) return { ok: false, error: 'unverified' }

  const token = newToken()
  const expiresAt = sessionExpiry(input.remember)
  const sessionId = await repo.insertSession(db, {
    tokenHash: hashToken(token),
    userId: user.id,
    userAgent: context.userAgent.slice(0, 300),
    ipAddress: context.ip,
    remember: input.remember,
    expiresAt,
  })
  return { ok: true, value: { token, sessionId, userId: user.id, remember: input.remember, expiresAt } }
}

/** Emails a reset link if the account exists; the caller always answers the same way. */
export async function requestPasswordReset(
  platform: Platform,
  rawEmail: string,
  context: { lang: Lang; ip: string },
): Promise<Result<void, 'invalid' | 'rate-limited'>> {
  const email = normaliseEmail(rawEmail)
  if (!email) return { ok: false, error: 'invalid', fields: [{ field: 'email', key: 'errors.email' }] }
  const { db } = platform
  const perIp = await hitRateLimit(
    db,
    `reset:ip:${context.ip}`,
    LIMITS.resetPerIp.limit,
    LIMITS.resetPerIp.windowSeconds,
  )
  if (!perIp.allowed) return { ok: false, error: 'rate-limited' }
  const perAccount = await hitRateLimit(
    db,
    `reset:email:${email}`,
    LIMITS.resetPerAccount.limit,
    LIMITS.resetPerAccount.windowSeconds,
  )
  // Over the per-account limit we quietly send nothing more, still answering the same way.
  if (!perAccount.allowed) return { ok: true, value: undefined }
  const user = await repo.findUserByEmail(db, email)
  if (user) await sendTokenMail(platform, user, 'reset-password', (user.language as Lang) ?? context.lang)
  return { ok: true, value: undefined }
}

/** Sets a new password from a single-use link and signs the account out everywhere. */
export async function resetPassword(
  platform: Platform,
  token: string,
  password: string,
): Promise<Result<void, 'invalid' | 'invalid-token'>> {
  if (password.length < 10)
    return { ok: false, error: 'invalid', fields: [{ field: 'password', key: 'errors.passwordShort' }] }
  if (password.length > 200)
    return { ok: false, error: 'invalid', fields: [{ field: 'password', key: 'errors.passwordLong' }] }
  const used = await repo.consumeToken(platform.db, hashToken(token), 'reset-password')
  if (!used) return { ok: false, error: 'invalid-token' }
  await repo.setPassword(platform.db, used.userId, await hashPassword(password))
  // Following the link proves the mailbox, so the address counts as verified too.
  await repo.markEmailVerified(platform.db, used.userId)
  await repo.deleteSessionsOf(platform.db, used.userId)
  return { ok: true, value: undefined }
}

/** Creates a verified account directly (CLI and demo seed); returns its id, or the existing one. */
export async function createVerifiedUser(
  platform: Platform,
  input: { email: string; password: string; displayName: string; language: Lang; isNetworkAdmin?: boolean },
): Promise<number> {
  const email = normaliseEmail(input.email)
  if (!email) throw new Error(`Not an email address: ${input.email}`)
  const id = await repo.insertUser(platform.db, {
    email,
    passwordHash: await hashPassword(input.password),
    displayName: input.displayName,
    language: input.language,
    verified: true,
    isNetworkAdmin: input.isNetworkAdmin,
  })
  if (id) return id
  const existing = await repo.findUserByEmail(platform.db, email)
  return existing!.id
}
