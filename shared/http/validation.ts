import type { ZodError } from 'zod';
import type { ErrorDetail } from '../errors.js';

/** zod issues → the contract's `details`: `{path: "admin.email", message}`. */
export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'Unknown field' }));
    }
    return [{ path, message: issue.message }];
  });
}
