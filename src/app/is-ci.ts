/**
 * Whether we run under CI: then nothing is asked and no browser is opened, even when a terminal
 * is attached (CI runners often give one). CI systems set CI to `true`, `1` or their own name; an
 * empty value or an explicit `false` / `0` means not CI. One definition for every place that asks.
 */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}
