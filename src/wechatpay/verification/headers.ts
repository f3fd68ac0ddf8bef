/** Response or request headers as fetch (`Headers`) or node:http (`IncomingHttpHeaders`) present them. */
export type HeaderSource = Headers | Readonly<Record<string, string | string[] | undefined>>;

/** Reads one header case-insensitively; a repeated header yields its first value. */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") {
    return (headers as Headers).get(name) ?? undefined;
  }

  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
