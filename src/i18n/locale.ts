export const locales = ["en", "zh-CN"] as const;
export type Locale = (typeof locales)[number];

/**
 * Pick the response language from an Accept-Language header: the highest-weighted Chinese or English
 * entry wins, any Chinese variant maps to Simplified Chinese, and English is the fallback.
 */
export function negotiateLocale(acceptLanguage: string | undefined | null): Locale {
  if (!acceptLanguage) return "en";

  const ranges = acceptLanguage
    .split(",")
    .map((part, position) => {
      const [tag = "", ...parameters] = part.trim().split(";");
      const weight = parameters
        .map((parameter) => parameter.trim())
        .find((parameter) => parameter.startsWith("q="));
      const quality = weight === undefined ? 1 : Number(weight.slice(2));
      return { tag: tag.toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, position };
    })
    .filter((range) => range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.position - b.position);

  for (const range of ranges) {
    if (range.tag === "zh" || range.tag.startsWith("zh-")) return "zh-CN";
    if (range.tag === "en" || range.tag.startsWith("en-") || range.tag === "*") return "en";
  }
  return "en";
}
