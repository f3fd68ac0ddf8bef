/** Notification kinds in the notify_url path: /wechatpay/notify/{kind}/{merchantAccountId}. */
export const PAYMENT_NOTIFICATION_KIND = "order-payment";
export const REFUND_NOTIFICATION_KIND = "order-refund";
