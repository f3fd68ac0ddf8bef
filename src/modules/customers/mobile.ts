/**
 * Normalise a mainland China mobile number to E.164 (+86 followed by 11 digits). Accepts spaces, dashes,
 * a leading +86, 86 or 0086. Returns undefined for anything that is not an 11-digit number starting with 1.
 */
export function normalizeMobile(input: string): string | undefined {
  let digits = input.replace(/[\s()-]/g, "");
  if (digits.startsWith("+86")) digits = digits.slice(3);
  else if (digits.startsWith("0086")) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith("86")) digits = digits.slice(2);
  return /^1\d{10}$/.test(digits) ? `+86${digits}` : undefined;
}

/**
 * Normalise the start of a mobile number for prefix search: strips separators and the country code,
 * keeps at most 11 digits. Returns undefined when what remains is not digits starting with 1.
 */
export function normalizeMobilePrefix(input: string): string | undefined {
  let digits = input.replace(/[\s()-]/g, "");
  if (digits.startsWith("+86")) digits = digits.slice(3);
  else if (digits.startsWith("0086")) digits = digits.slice(4);
  else if (digits.length > 11 && digits.startsWith("86")) digits = digits.slice(2);
  return /^1\d{0,10}$/.test(digits) ? `+86${digits}` : undefined;
}
