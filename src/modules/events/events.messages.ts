import { defineMessages } from "../../i18n/define-messages.js";

export const eventMessages = defineMessages(
  {
    "events.unboundedTimeRange":
      "{field} does not limit occurredAt, so the query would read every event of the tenant. Add {field}.occurredAt with from or last, covering at most {maxDays} days, for example occurredAt: { last: { amount: 30, unit: DAY } }.",
    "events.queryTooExpensive":
      "{field} covers {days} days of events, but the limit is {maxDays} days ({maxDaysPinned} days when it filters on campaignId). Shorten {field}.occurredAt or add a campaignId condition.",
    "events.operatorCount":
      "{field} must set exactly one of {operators}, but sets {count}. Combine several conditions with and.",
    "events.emptyList": "{field} needs at least one value.",
    "events.tooManyValues": "{field} accepts at most {max} values, but has {count}.",
    "events.filterTooComplex":
      "The filter has {conditions} conditions nested {depth} levels deep; the limits are {maxConditions} conditions and {maxDepth} levels. Simplify the filter or split the query.",
    "events.amountRange": "{field}: min ({min}) must not be greater than max ({max}).",
    "events.windowAmount": "{field}.amount must be between 1 and {max} for unit {unit}, but was {value}.",
    "events.mobile":
      "{field} {value} is not a mainland China mobile number. Use 11 digits starting with 1, optionally with +86.",
    "events.mobilePrefix":
      "{field} {value} is not the start of a mainland China mobile number. Use digits starting with 1, optionally with +86.",
    "events.metricsRequired": "metrics needs at least one of COUNT, DISTINCT_CUSTOMERS and SUM_AMOUNT.",
    "events.oneTimeBucket": "groupBy may contain at most one time bucket (HOUR, DAY, WEEK or MONTH), but has {buckets}.",
    "events.tooManyBuckets":
      "Grouping {days} days by {bucket} makes {count} buckets, but the limit is {max}. Use a coarser bucket or a shorter occurredAt range.",
    "events.tooManyGroups":
      "eventStats would return more than {max} rows. Use fewer groupBy values, a coarser time bucket or a narrower filter.",
    "events.minCount": "did.minCount must be between 1 and {max}, but was {value}.",
    "events.exportTooLarge":
      "The export would contain {count} rows, but the limit is {max}. Narrow the filter, for example to a shorter occurredAt range, and export in parts.",
    "events.cursorOrder": "The cursor {cursor} belongs to another orderBy. Start again without after when you change orderBy.",
  },
  {
    "events.unboundedTimeRange":
      "{field} 没有限定 occurredAt，查询会读取该租户的全部事件。请在 {field}.occurredAt 中设置 from 或 last，跨度不超过 {maxDays} 天，例如 occurredAt: { last: { amount: 30, unit: DAY } }。",
    "events.queryTooExpensive":
      "{field} 覆盖了 {days} 天的事件，上限为 {maxDays} 天（按 campaignId 筛选时为 {maxDaysPinned} 天）。请缩短 {field}.occurredAt 的范围，或增加 campaignId 条件。",
    "events.operatorCount": "{field} 必须且只能设置 {operators} 中的一个，当前设置了 {count} 个。多个条件请用 and 组合。",
    "events.emptyList": "{field} 至少需要一个值。",
    "events.tooManyValues": "{field} 最多接受 {max} 个值，当前为 {count} 个。",
    "events.filterTooComplex":
      "筛选条件共有 {conditions} 个条件、嵌套 {depth} 层，上限为 {maxConditions} 个条件、{maxDepth} 层。请简化筛选条件或拆分查询。",
    "events.amountRange": "{field}：min（{min}）不能大于 max（{max}）。",
    "events.windowAmount": "{field}.amount 在单位为 {unit} 时必须在 1 到 {max} 之间，当前为 {value}。",
    "events.mobile": "{field} 的值 {value} 不是中国大陆手机号。请填写以 1 开头的 11 位数字，可带 +86。",
    "events.mobilePrefix": "{field} 的值 {value} 不是中国大陆手机号的开头。请填写以 1 开头的数字，可带 +86。",
    "events.metricsRequired": "metrics 至少需要 COUNT、DISTINCT_CUSTOMERS、SUM_AMOUNT 中的一个。",
    "events.oneTimeBucket": "groupBy 最多只能包含一个时间粒度（HOUR、DAY、WEEK 或 MONTH），当前为 {buckets}。",
    "events.tooManyBuckets":
      "按 {bucket} 对 {days} 天分组会产生 {count} 个时间段，上限为 {max} 个。请使用更粗的时间粒度或缩短 occurredAt 的范围。",
    "events.tooManyGroups": "eventStats 的结果会超过 {max} 行。请减少 groupBy 的维度、使用更粗的时间粒度或缩小筛选范围。",
    "events.minCount": "did.minCount 必须在 1 到 {max} 之间，当前为 {value}。",
    "events.exportTooLarge": "导出结果会有 {count} 行，上限为 {max} 行。请缩小筛选范围（例如缩短 occurredAt 的范围）后分批导出。",
    "events.cursorOrder": "游标 {cursor} 属于另一种 orderBy 排序。更改 orderBy 后请不带 after 重新开始。",
  },
);
