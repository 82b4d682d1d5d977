import { StatusError, badRequest } from '../../status';

/** Why a patch failed: the patch itself is not well formed, or it does not fit this document. */
export type PatchErrorKind = 'malformed' | 'conflict';

/**
 * A patch that could not be applied. `malformed` maps to 400 BadRequest (the body is wrong whatever the
 * object), `conflict` to 422 (the patch is valid but does not apply to the current object).
 */
export class PatchError extends Error {
  constructor(
    readonly kind: PatchErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

/** The patch body itself is invalid (400). */
export function malformed(message: string): PatchError {
  return new PatchError('malformed', message);
}

/** The patch is valid but does not apply to this object (422). */
export function conflicting(message: string): PatchError {
  return new PatchError('conflict', message);
}

/** The Status the API returns for a failed patch, as kube-apiserver does (400 or 422). */
export function patchErrorToStatus(error: PatchError): StatusError {
  if (error.kind === 'malformed') return badRequest(error.message);
  return new StatusError(422, 'Invalid', error.message);
}
