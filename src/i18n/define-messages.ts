/** A message table: the English texts fix the keys, and the Chinese texts must cover exactly those keys. */
export function defineMessages<const TKeys extends string>(
  en: Record<TKeys, string>,
  zhCN: Record<NoInfer<TKeys>, string>,
): { en: Record<TKeys, string>; zhCN: Record<TKeys, string> } {
  return { en, zhCN };
}
