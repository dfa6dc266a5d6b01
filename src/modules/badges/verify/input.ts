import { extractFromPng, extractFromSvg, isPng } from './baked.ts'
import { isObject } from './credential.ts'
import { looksLikeJws } from './jwt.ts'
import type { Report } from './report.ts'
import { type VerifierDeps, type VerifyOptions, verifyJsonLd, verifyJwt } from './verify.ts'

/** Why an input holds no credential to verify; each has a message in every language. */
export const INPUT_PROBLEMS = [
  'empty',
  'unrecognised',
  'json-invalid',
  'json-not-object',
  'jwt-malformed',
  'png-malformed',
  'png-no-credential',
  'svg-malformed',
  'svg-no-credential',
  'baked-twice',
  'ob2-baked',
] as const
export type InputProblem = (typeof INPUT_PROBLEMS)[number]

export type Verification = { ok: true; report: Report } | { ok: false; problem: InputProblem }

function isSvg(text: string): boolean {
  return /^(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(text)
}

async function verifyText(
  text: string,
  deps: VerifierDeps,
  options: VerifyOptions,
  baked?: 'png' | 'svg',
): Promise<Verification> {
  const trimmed = text.replace(/^\uFEFF/, '').trim()
  if (trimmed === '') return { ok: false, problem: 'empty' }
  let report: Report | undefined
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown
    try {
      value = JSON.parse(trimmed)
    } catch {
      return { ok: false, problem: 'json-invalid' }
    }
    if (!isObject(value)) return { ok: false, problem: 'json-not-object' }
    report = await verifyJsonLd(value, deps, options)
  } else if (looksLikeJws(trimmed)) {
    report = await verifyJwt(trimmed, deps, options)
    if (!report) return { ok: false, problem: 'jwt-malformed' }
  } else if (!baked && trimmed.startsWith('<')) {
    if (!isSvg(trimmed)) return { ok: false, problem: 'unrecognised' }
    const found = extractFromSvg(trimmed)
    return found.ok ? verifyText(found.text, deps, options, 'svg') : { ok: false, problem: found.problem }
  } else return { ok: false, problem: 'unrecognised' }
  return { ok: true, report: baked ? { ...report, baked } : report }
}

/**
 * Verifies whatever a person brings: a JSON-LD credential, a VC-JWT, or a baked PNG or SVG badge
 * (as bytes or text). The caller bounds the size.
 */
export async function verifyInput(
  input: Uint8Array | string,
  deps: VerifierDeps,
  options: VerifyOptions = {},
): Promise<Verification> {
  if (typeof input !== 'string') {
    if (input.length === 0) return { ok: false, problem: 'empty' }
    if (isPng(input)) {
      const found = extractFromPng(input)
      return found.ok ? verifyText(found.text, deps, options, 'png') : { ok: false, problem: found.problem }
    }
    const decoded = new TextDecoder('utf-8', { fatal: false }).decode(input)
    return verifyText(decoded, deps, options)
  }
  return verifyText(input, deps, options)
}
