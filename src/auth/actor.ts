export const roles = ["admin", "marketer", "analyst", "service", "customer"] as const;
export type Role = (typeof roles)[number];

/** A WeChat user on a page, identified by openid under an appid. */
export interface CustomerIdentity {
  appid: string;
  openid: string;
}

/** Who is calling, as proven by a verified token. */
export interface Actor {
  tenantId: string;
  subject: string;
  roles: Role[];
  /** Present for the customer role only. */
  customer?: CustomerIdentity;
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}
