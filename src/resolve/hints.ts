/** undefined for an unset or empty setting: an empty value in a file or variable means "not set". */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
