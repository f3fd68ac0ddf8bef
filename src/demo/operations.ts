// GraphQL operations the demo sends, written as a dashboard, a page, a workflow and an analyst would.

export const CONNECT_MERCHANT = /* GraphQL */ `
  mutation DemoConnectMerchant($input: SimulatorMerchantInput!) {
    simulatorConnectMerchantAccount(input: $input) {
      merchantAccount { id mchid officialAccountAppid }
      userErrors { code message }
    }
  }
`;

export const TEST_CONNECTION = /* GraphQL */ `
  mutation DemoTestConnection($id: ID!) {
    testMerchantConnection(id: $id) { ok checks { name ok message } }
  }
`;

export const CREATE_CAMPAIGN = /* GraphQL */ `
  mutation DemoCreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) { campaign { id name } userErrors { code message } }
  }
`;

export const CREATE_STOCK = /* GraphQL */ `
  mutation DemoCreateStock($input: SimulatorVoucherStockInput!) {
    simulatorCreateVoucherStock(input: $input) { stockId }
  }
`;

export const REGISTER_BATCH = /* GraphQL */ `
  mutation DemoRegisterBatch($input: RegisterVoucherBatchInput!) {
    registerVoucherBatch(input: $input) { voucherBatch { id name stockId } userErrors { code message } }
  }
`;

export const SAVE_MODULE = /* GraphQL */ `
  mutation DemoSaveModule($input: SaveVoucherModuleInput!) {
    saveVoucherModule(input: $input) { voucherModule { id } userErrors { code message } }
  }
`;

export const CREATE_PRODUCT = /* GraphQL */ `
  mutation DemoCreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) { product { id name price } userErrors { code message } }
  }
`;

export const CREATE_RED_PACKET = /* GraphQL */ `
  mutation DemoCreateRedPacket($input: CreateRedPacketInput!) {
    createRedPacket(input: $input) { redPacket { id name } userErrors { code field message } }
  }
`;

export const CLAIM_VOUCHER = /* GraphQL */ `
  mutation DemoClaim($input: ClaimVoucherInput!) {
    claimVoucher(input: $input) { status couponId popupMessage reason message }
  }
`;

export const AWARD_PRIZE = /* GraphQL */ `
  mutation DemoAwardPrize($input: AwardRedPacketPrizeInput!) {
    awardRedPacketPrize(input: $input) { grant { id outcome amount failureCode } userErrors { code message } }
  }
`;

export const FORM_RED_PACKET = /* GraphQL */ `
  mutation DemoFormRedPacket($input: IssueRedPacketForFormInput!) {
    issueRedPacketForForm(input: $input) { grant { id outcome amount failureCode } userErrors { code message } }
  }
`;

export const ISSUE_VOUCHERS = /* GraphQL */ `
  mutation DemoIssueVouchers($input: IssueVouchersInput!) {
    issueVouchers(input: $input) { job { id } }
  }
`;

export const START_RED_PACKET_SEND = /* GraphQL */ `
  mutation DemoStartRedPacketSend($input: StartRedPacketSendInput!) {
    startRedPacketSend(input: $input) {
      job { id }
      dryRun { possibleGrants limitedCount customers }
      userErrors { code message }
    }
  }
`;

export const JOB = /* GraphQL */ `
  query DemoJob($id: ID!) {
    job(id: $id) { id status totalItems processedItems lastError outcomes { outcome count } }
  }
`;

export const CHECKOUT = /* GraphQL */ `
  mutation DemoCheckout($input: CheckoutInput!) {
    checkout(input: $input) {
      order { id orderNo totalAmount status }
      payment { appId timeStamp nonceStr package signType paySign }
      userErrors { code message }
    }
  }
`;

export const CONFIRM_PAYMENT = /* GraphQL */ `
  mutation DemoConfirmPayment($orderId: ID!) {
    confirmPayment(orderId: $orderId) { order { id status payerTotal discountAmount } userErrors { code message } }
  }
`;

export const CAMPAIGN_STATS = /* GraphQL */ `
  query DemoCampaignStats($id: ID!) {
    campaign(id: $id) {
      name
      stats {
        customersReached
        vouchers { issuedCount collectedCount redeemedCount redemptionRate }
        redPackets { issuedCount issuedAmount failedCount }
        orders { count paidCount paidAmount }
      }
    }
  }
`;

export const EVENT_STATS = /* GraphQL */ `
  query DemoEventStats($filter: CustomerEventFilter!) {
    eventStats(filter: $filter, groupBy: [DAY, TYPE], metrics: [COUNT, DISTINCT_CUSTOMERS, SUM_AMOUNT]) {
      timeZone
      rows { bucketStart type count distinctCustomers sumAmount }
    }
  }
`;

export const SEGMENT = /* GraphQL */ `
  query DemoSegment($did: SegmentEventCondition!, $didNot: SegmentAbsenceCondition) {
    customerSegment(did: $did, didNot: $didNot, first: 3) { count customers { edges { node { openid mobile } } } }
  }
`;

export const EXPORT_ORDERS = /* GraphQL */ `
  mutation DemoExportOrders($input: ExportOrdersInput!) {
    exportOrders(input: $input) { export { id status } userErrors { code message } }
  }
`;

export const ORDER_EXPORT = /* GraphQL */ `
  query DemoOrderExport($id: ID!) {
    orderExport(id: $id) { id status rowCount sha256 downloadUrl error }
  }
`;

export const ISSUANCE_SUBSCRIPTION = /* GraphQL */ `
  subscription DemoIssuance($campaignId: ID!) {
    campaignIssuanceUpdated(campaignId: $campaignId) {
      vouchersIssued vouchersCollected vouchersRedeemed redPacketsIssued redPacketAmountIssued redPacketsFailed countedAt
    }
  }
`;

export const FAILURE_NOTICES = /* GraphQL */ `
  query DemoFailureNotices($redPacketId: ID!) {
    failureNotices(filter: { redPacketId: $redPacketId }, first: 1) {
      totalCount
      edges { node { channel text } }
    }
  }
`;
