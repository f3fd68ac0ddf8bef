import { randomInt } from "node:crypto";

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
const GIVEN_NAMES = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "晓东", "子涵", "欣怡", "浩然", "雨桐", "梓萱", "宇轩", "思远"];
const MOBILE_PREFIXES = ["138", "139", "137", "136", "135", "150", "151", "158", "159", "186", "187", "188", "177", "189", "199"];
const OPENID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A made-up customer: all values look real and none is. */
export interface FakeCustomer {
  name: string;
  openid: string;
  mobile: string;
}

function pick<T>(values: readonly T[]): T {
  return values[randomInt(values.length)]!;
}

/** Generate an openid in WeChat's shape: "o" followed by 27 URL-safe characters. */
export function fakeOpenid(): string {
  let openid = "o";
  for (let index = 0; index < 27; index++) openid += OPENID_ALPHABET[randomInt(OPENID_ALPHABET.length)];
  return openid;
}

/** Generate a mainland mobile number whose last four digits follow the index, so numbers rarely repeat. */
export function fakeMobile(index: number): string {
  return `${pick(MOBILE_PREFIXES)}${String(randomInt(10_000)).padStart(4, "0")}${String(index % 10_000).padStart(4, "0")}`;
}

export function fakeCustomers(count: number): FakeCustomer[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `${pick(SURNAMES)}${pick(GIVEN_NAMES)}`,
    openid: fakeOpenid(),
    mobile: fakeMobile(index),
  }));
}
