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
