export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export type EnvironmentReader = ReturnType<typeof readEnvironment>;

/**
 * Typed accessors over environment variables that collect every problem instead of stopping at the
 * first, so an operator fixes them all in one go. Empty strings count as unset.
 */
export function readEnvironment(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];

  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };

  const reject = (name: string, fix: string): void => {
    problems.push(`${name}: ${fix}`);
  };

  return {
    reject,

    string(name: string, fallback: string): string {
      return raw(name) ?? fallback;
    },

    optionalString(name: string): string | undefined {
      return raw(name);
    },

    integer(name: string, fallback: number, range: { min: number; max: number }): number {
      const value = raw(name);
      if (value === undefined) return fallback;
      const parsed = Number(value);
      if (!/^-?\d+$/.test(value) || parsed < range.min || parsed > range.max) {
        reject(name, `invalid value "${value}"; use a whole number from ${range.min} to ${range.max}`);
        return fallback;
      }
      return parsed;
    },

    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const value = raw(name);
      if (value === undefined) return fallback;
      if (!(allowed as readonly string[]).includes(value)) {
        reject(name, `invalid value "${value}"; use one of ${allowed.join(", ")}`);
        return fallback;
      }
      return value as T;
    },

    optionalUrl(name: string, protocols: string[]): string | undefined {
      const value = raw(name);
      if (value === undefined) return undefined;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        reject(name, `invalid URL "${redactUrl(value)}"; use a full URL such as ${protocols[0]}//host:port/...`);
        return undefined;
      }
      if (!protocols.includes(url.protocol)) {
        reject(name, `unsupported scheme "${url.protocol}"; use ${protocols.join(" or ")}`);
        return undefined;
      }
      return value.replace(/\/+$/, "");
    },

    optionalPem(name: string): string | undefined {
      const value = raw(name);
      if (value === undefined) return undefined;
      // Environment files often carry PEM blocks with literal "\n" sequences.
      const pem = value.replace(/\\n/g, "\n");
      if (!pem.includes("-----BEGIN PUBLIC KEY-----")) {
        reject(name, "expected a PEM public key starting with -----BEGIN PUBLIC KEY-----");
        return undefined;
      }
      return pem;
    },

    optionalBase64Key(name: string, bytes: number): Buffer | undefined {
      const value = raw(name);
      if (value === undefined) return undefined;
      const key = Buffer.from(value, "base64");
      if (key.length !== bytes || !/^[A-Za-z0-9+/=_-]+$/.test(value)) {
        reject(name, `expected ${bytes} random bytes in base64; generate one with \`openssl rand -base64 ${bytes}\``);
        return undefined;
      }
      return key;
    },

    timeZone(name: string, fallback: string): string {
      const value = raw(name) ?? fallback;
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: value });
      } catch {
        reject(name, `unknown time zone "${value}"; use an IANA name such as Asia/Shanghai`);
        return fallback;
      }
      return value;
    },

    throwIfInvalid(): void {
      if (problems.length > 0) throw new ConfigError(problems);
    },
  };
}

/** Hide the password of a URL before it goes into a message. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):([^@]+)@/, "//$1:***@");
}
