import { ConfigError } from '../errors.js';

/** The configured streams, or the ones named with --stream (each must be configured). */
export function selectStreams<S extends { readonly name: string }>(
  all: readonly S[],
  names: readonly string[] | undefined,
  pipeline: string,
): readonly S[] {
  if (names === undefined) return all;
  for (const name of names) {
    if (!all.some((s) => s.name === name)) {
      const known = all.map((s) => s.name).join(', ');
      throw new ConfigError(
        `stream ${name} is not configured in pipeline ${pipeline} (configured: ${known})`,
      );
    }
  }
  return all.filter((s) => names.includes(s.name));
}

/** The configured accounts, or the ones named with --account (each must be configured). */
export function selectAccounts<A extends { readonly name: string }>(
  all: readonly A[],
  names: readonly string[] | undefined,
): readonly A[] {
  if (names === undefined) return all;
  for (const name of names) {
    if (!all.some((a) => a.name === name)) {
      const known = all.map((a) => a.name).join(', ');
      throw new ConfigError(`account ${name} is not configured (configured: ${known})`);
    }
  }
  return all.filter((a) => names.includes(a.name));
}
