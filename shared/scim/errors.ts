import { AppError } from '../errors.js';

/** A SCIM error (RFC 7644 §3.12): answered in SCIM's error shape, with `scimType` where the RFC names one. */
export class ScimError extends AppError {
  constructor(
    status: number,
    readonly scimType: string | undefined,
    message: string,
  ) {
    super(status, scimType ?? 'scim_error', message, []);
  }
}

export const invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
export const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
export const uniqueness = (detail: string) => new ScimError(409, 'uniqueness', detail);
export const resourceNotFound = (what = 'The resource') => new ScimError(404, undefined, `${what} was not found.`);
export const methodNotAllowed = () => new ScimError(405, undefined, 'The method is not allowed here.');
