import { V3ApiError } from "./errors.js";
import type { V3Request } from "./v3-types.js";

/** A parsed JSON request body; fields are checked one by one as WeChat Pay does. */
export type JsonObject = Record<string, unknown>;

export function asJsonObject(value: unknown, location: string): JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new V3ApiError("PARAM_ERROR", `${location} 必须是对象`, { field: location, location: "body" });
  }
  return value as JsonObject;
}

export function optionalObject(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  return asJsonObject(value, field);
}

export function requireObject(body: JsonObject, field: string): JsonObject {
  const value = body[field];
  if (value === undefined) throw missing(field);
  return asJsonObject(value, field);
}

interface StringRule {
  pattern?: RegExp;
  minLength?: number;
  maxLength?: number;
  /** Shown in the error message, e.g. "6-32位数字、字母、_-|*". */
  describe?: string;
}

export function requireString(body: JsonObject, field: string, rule: StringRule = {}): string {
  const value = body[field];
  if (value === undefined || value === null || value === "") throw missing(field);
  return checkString(field, value, rule);
}

export function optionalString(body: JsonObject, field: string, rule: StringRule = {}): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  return checkString(field, value, rule);
}

function checkString(field: string, value: unknown, rule: StringRule): string {
  if (typeof value !== "string") {
    throw new V3ApiError("PARAM_ERROR", `输入源“/body/${field}”映射到值字段“${field}”字符串规则校验失败，值必须为字符串`, {
      field,
      value,
      issue: "must be a string",
      location: "body",
    });
  }

  const length = [...value].length;
  const tooShort = rule.minLength !== undefined && length < rule.minLength;
  const tooLong = rule.maxLength !== undefined && length > rule.maxLength;
  const mismatch = rule.pattern !== undefined && !rule.pattern.test(value);
  if (tooShort || tooLong || mismatch) {
    const expectation = rule.describe ?? describeLength(rule);
    throw new V3ApiError("PARAM_ERROR", `输入源“/body/${field}”映射到值字段“${field}”字符串规则校验失败，${expectation}`, {
      field,
      value,
      issue: expectation,
      location: "body",
    });
  }
  return value;
}

function describeLength(rule: StringRule): string {
  if (rule.minLength !== undefined && rule.maxLength !== undefined) return `长度须在${rule.minLength}到${rule.maxLength}之间`;
  if (rule.maxLength !== undefined) return `长度不能超过${rule.maxLength}`;
  return "格式不正确";
}

/** Amounts are int64 fen; a JSON float such as 110.00000000000001 is rejected as WeChat Pay rejects it. */
export function requireInteger(body: JsonObject, field: string, path = field, range: { min?: number; max?: number } = {}): number {
  const value = body[field];
  if (value === undefined || value === null) throw missing(path);

  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new V3ApiError("PARAM_ERROR", `输入源“/body/${path}”映射到值字段“${field}”，值必须是有效的64位有符号整数`, {
      field: path,
      value,
      issue: "must be a valid int64",
      location: "body",
    });
  }

  if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
    throw new V3ApiError("PARAM_ERROR", `输入源“/body/${path}”映射到值字段“${field}”，值超出允许范围`, {
      field: path,
      value,
      issue: `must be within ${range.min ?? "-∞"}..${range.max ?? "∞"}`,
      location: "body",
    });
  }
  return value;
}

export function missing(field: string): V3ApiError {
  return new V3ApiError("PARAM_ERROR", `输入源“/body/${field}”映射到值字段“${field}”必填性规则校验失败，此字段为必填项`, {
    field,
    issue: "required",
    location: "body",
  });
}

/** WeChat Pay's rule for notify URLs: an absolute http(s) URL of at most 256 characters and no query. */
export function requireNotifyUrl(body: JsonObject, field = "notify_url", required = true): string | undefined {
  const value = required ? requireString(body, field, { maxLength: 256 }) : optionalString(body, field, { maxLength: 256 });
  if (value === undefined) return undefined;

  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "") {
    throw new V3ApiError("PARAM_ERROR", `${field}格式不正确，须为不带参数的http或https地址`, {
      field,
      value,
      issue: "must be an absolute URL without query",
      location: "body",
    });
  }
  return value;
}

export function requireBody(request: V3Request): JsonObject {
  if (request.body === undefined) throw new V3ApiError("PARAM_ERROR", "请求体不能为空", { location: "body" });
  return asJsonObject(request.body, "body");
}
