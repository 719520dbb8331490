/** One source's read: a value, or the reason it could not be read (then nothing is published for it). */
export type SourceResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export const readValue = <T>(value: T): SourceResult<T> => ({ ok: true, value });
export const readFailure = <T>(reason: string): SourceResult<T> => ({ ok: false, reason });

export function errorReason(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
