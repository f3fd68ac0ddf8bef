/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Conditions a campaign must meet; all given conditions apply. */
export type CampaignFilter = {
  /** Case-insensitive part of the name. */
  search?: string | null | undefined;
  status?: Array<CampaignStatus> | null | undefined;
};

/** Lifecycle of a marketing campaign. */
export type CampaignStatus =
  | 'ACTIVE'
  | 'DRAFT'
  | 'ENDED'
  | 'PAUSED';

export type ConnectMerchantAccountInput = {
  /** APIv3 endpoint; defaults to the server's WeChat Pay endpoint. */
  apiBaseUrl?: string | null | undefined;
  /** APIv2 endpoint, when it differs from apiBaseUrl. */
  apiV2BaseUrl?: string | null | undefined;
  credentials: MerchantCredentialsInput;
  mchid: string;
  miniProgramAppid?: string | null | undefined;
  name: string;
  officialAccountAppid: string;
  payoutChannel?: PayoutChannel | null | undefined;
  smallRedPacketEnabled?: boolean | null | undefined;
  transferSceneId?: string | null | undefined;
};

export type CreateCampaignInput = {
  endsAt?: string | null | undefined;
  /** Reference to the campaign in the wider platform; unique per tenant. */
  externalId?: string | null | undefined;
  name: string;
  startsAt?: string | null | undefined;
  status?: CampaignStatus | null | undefined;
};

export type MerchantAccountStatus =
  | 'DISABLED'
  | 'ENABLED';

/** Secret credentials, accepted on connect and on replacement, never returned. */
export type MerchantCredentialsInput = {
  /** APIv2 key (32 characters). */
  apiV2Key: string;
  /** APIv3 key (32 characters). */
  apiV3Key: string;
  /** apiclient_cert.pem; also the client certificate for APIv2. */
  merchantCertificatePem: string;
  /** apiclient_key.pem (PKCS#8). */
  merchantPrivateKeyPem: string;
  /** Serial of the merchant API certificate. */
  merchantSerialNo: string;
  /** Platform certificates, for merchants not yet on the public key. */
  platformCertificatePems?: Array<string> | null | undefined;
  /** Extra trust anchor for the endpoint's TLS certificate; only simulators need one. */
  tlsCaPem?: string | null | undefined;
  /** WeChat Pay public key id, PUB_KEY_ID_… */
  wechatPayPublicKeyId?: string | null | undefined;
  /** WeChat Pay public key (pub_key.pem). */
  wechatPayPublicKeyPem?: string | null | undefined;
};

/** How red packets are paid: APIv2 cash red packets, or APIv3 merchant transfers for merchants without them. */
export type PayoutChannel =
  | 'CASH_RED_PACKET'
  | 'MERCHANT_TRANSFER';

export type SetMerchantAccountStatusInput = {
  id: string | number;
  status: MerchantAccountStatus;
};

export type UpdateCampaignInput = {
  endsAt?: string | null | undefined;
  id: string | number;
  name?: string | null | undefined;
  startsAt?: string | null | undefined;
  status?: CampaignStatus | null | undefined;
};

export type UpdateMerchantAccountInput = {
  /** Replaces every secret at once. */
  credentials?: MerchantCredentialsInput | null | undefined;
  id: string | number;
  name?: string | null | undefined;
  payoutChannel?: PayoutChannel | null | undefined;
  smallRedPacketEnabled?: boolean | null | undefined;
  transferSceneId?: string | null | undefined;
};

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { tenantId: string, subject: string, roles: Array<string> } };

export type CreateCampaignMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type CreateCampaignMutation = { createCampaign: { campaign: { id: string, name: string, status: CampaignStatus, startsAt: string | null, endsAt: string | null, externalId: string | null } | null, userErrors: Array<{ code: string, field: Array<string> | null, message: string }> } };

export type UpdateCampaignMutationVariables = Exact<{
  input: UpdateCampaignInput;
}>;


export type UpdateCampaignMutation = { updateCampaign: { campaign: { id: string, name: string, status: CampaignStatus } | null, userErrors: Array<{ code: string, field: Array<string> | null, message: string }> } };

export type CampaignsQueryVariables = Exact<{
  filter?: CampaignFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CampaignsQuery = { campaigns: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, name: string, status: CampaignStatus } }> } };

export type CampaignQueryVariables = Exact<{
  id: string | number;
}>;


export type CampaignQuery = { campaign: { id: string, name: string } | null };

export type NodeByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeByIdQuery = { node:
    | { name: string, id: string }
    | { id: string }
   | null };

export type CampaignUpdatedSubscriptionVariables = Exact<{
  campaignId: string | number;
}>;


export type CampaignUpdatedSubscription = { campaignUpdated: { id: string, name: string, status: CampaignStatus } | null };

export type MerchantAccountFieldsFragment = { id: string, name: string, mchid: string, officialAccountAppid: string, apiBaseUrl: string, status: MerchantAccountStatus, merchantSerialNo: string, merchantCertificateExpiresAt: string | null, apiV3KeyFingerprint: string, apiV2KeyFingerprint: string, privateKeyFingerprint: string, wechatPayPublicKeyId: string | null, lastConnectionTestOk: boolean | null, capabilities: { smallRedPacket: boolean, payoutChannel: PayoutChannel, transferSceneId: string | null } };

export type ConnectMerchantAccountMutationVariables = Exact<{
  input: ConnectMerchantAccountInput;
}>;


export type ConnectMerchantAccountMutation = { connectMerchantAccount: { merchantAccount: { id: string, name: string, mchid: string, officialAccountAppid: string, apiBaseUrl: string, status: MerchantAccountStatus, merchantSerialNo: string, merchantCertificateExpiresAt: string | null, apiV3KeyFingerprint: string, apiV2KeyFingerprint: string, privateKeyFingerprint: string, wechatPayPublicKeyId: string | null, lastConnectionTestOk: boolean | null, capabilities: { smallRedPacket: boolean, payoutChannel: PayoutChannel, transferSceneId: string | null } } | null, userErrors: Array<{ code: string, field: Array<string> | null, message: string }> } };

export type UpdateMerchantAccountMutationVariables = Exact<{
  input: UpdateMerchantAccountInput;
}>;


export type UpdateMerchantAccountMutation = { updateMerchantAccount: { merchantAccount: { id: string, name: string, mchid: string, officialAccountAppid: string, apiBaseUrl: string, status: MerchantAccountStatus, merchantSerialNo: string, merchantCertificateExpiresAt: string | null, apiV3KeyFingerprint: string, apiV2KeyFingerprint: string, privateKeyFingerprint: string, wechatPayPublicKeyId: string | null, lastConnectionTestOk: boolean | null, capabilities: { smallRedPacket: boolean, payoutChannel: PayoutChannel, transferSceneId: string | null } } | null, userErrors: Array<{ code: string, field: Array<string> | null, message: string }> } };

export type SetMerchantAccountStatusMutationVariables = Exact<{
  input: SetMerchantAccountStatusInput;
}>;


export type SetMerchantAccountStatusMutation = { setMerchantAccountStatus: { merchantAccount: { id: string, status: MerchantAccountStatus } | null, userErrors: Array<{ code: string, message: string }> } };

export type TestMerchantConnectionMutationVariables = Exact<{
  id: string | number;
}>;


export type TestMerchantConnectionMutation = { testMerchantConnection: { ok: boolean, checks: Array<{ name: string, ok: boolean, message: string }> } };

export type MerchantAccountsQueryVariables = Exact<{ [key: string]: never; }>;


export type MerchantAccountsQuery = { merchantAccounts: { totalCount: number, edges: Array<{ node: { id: string, name: string, mchid: string, officialAccountAppid: string, apiBaseUrl: string, status: MerchantAccountStatus, merchantSerialNo: string, merchantCertificateExpiresAt: string | null, apiV3KeyFingerprint: string, apiV2KeyFingerprint: string, privateKeyFingerprint: string, wechatPayPublicKeyId: string | null, lastConnectionTestOk: boolean | null, capabilities: { smallRedPacket: boolean, payoutChannel: PayoutChannel, transferSceneId: string | null } } }> } };

export const MerchantAccountFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MerchantAccountFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MerchantAccount"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mchid"}},{"kind":"Field","name":{"kind":"Name","value":"officialAccountAppid"}},{"kind":"Field","name":{"kind":"Name","value":"apiBaseUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"merchantSerialNo"}},{"kind":"Field","name":{"kind":"Name","value":"merchantCertificateExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"apiV3KeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"apiV2KeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"privateKeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"wechatPayPublicKeyId"}},{"kind":"Field","name":{"kind":"Name","value":"capabilities"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"smallRedPacket"}},{"kind":"Field","name":{"kind":"Name","value":"payoutChannel"}},{"kind":"Field","name":{"kind":"Name","value":"transferSceneId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastConnectionTestOk"}}]}}]} as unknown as DocumentNode<MerchantAccountFieldsFragment, unknown>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tenantId"}},{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const CreateCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCampaignInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaign"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateCampaignMutation, CreateCampaignMutationVariables>;
export const UpdateCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateCampaignInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaign"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateCampaignMutation, UpdateCampaignMutationVariables>;
export const CampaignsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Campaigns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CampaignFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaigns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CampaignsQuery, CampaignsQueryVariables>;
export const CampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Campaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<CampaignQuery, CampaignQueryVariables>;
export const NodeByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodeById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Campaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<NodeByIdQuery, NodeByIdQueryVariables>;
export const CampaignUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CampaignUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaignUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"campaignId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<CampaignUpdatedSubscription, CampaignUpdatedSubscriptionVariables>;
export const ConnectMerchantAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConnectMerchantAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectMerchantAccountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectMerchantAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"merchantAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MerchantAccountFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MerchantAccountFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MerchantAccount"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mchid"}},{"kind":"Field","name":{"kind":"Name","value":"officialAccountAppid"}},{"kind":"Field","name":{"kind":"Name","value":"apiBaseUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"merchantSerialNo"}},{"kind":"Field","name":{"kind":"Name","value":"merchantCertificateExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"apiV3KeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"apiV2KeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"privateKeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"wechatPayPublicKeyId"}},{"kind":"Field","name":{"kind":"Name","value":"capabilities"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"smallRedPacket"}},{"kind":"Field","name":{"kind":"Name","value":"payoutChannel"}},{"kind":"Field","name":{"kind":"Name","value":"transferSceneId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastConnectionTestOk"}}]}}]} as unknown as DocumentNode<ConnectMerchantAccountMutation, ConnectMerchantAccountMutationVariables>;
export const UpdateMerchantAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateMerchantAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateMerchantAccountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateMerchantAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"merchantAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MerchantAccountFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MerchantAccountFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MerchantAccount"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mchid"}},{"kind":"Field","name":{"kind":"Name","value":"officialAccountAppid"}},{"kind":"Field","name":{"kind":"Name","value":"apiBaseUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"merchantSerialNo"}},{"kind":"Field","name":{"kind":"Name","value":"merchantCertificateExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"apiV3KeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"apiV2KeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"privateKeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"wechatPayPublicKeyId"}},{"kind":"Field","name":{"kind":"Name","value":"capabilities"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"smallRedPacket"}},{"kind":"Field","name":{"kind":"Name","value":"payoutChannel"}},{"kind":"Field","name":{"kind":"Name","value":"transferSceneId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastConnectionTestOk"}}]}}]} as unknown as DocumentNode<UpdateMerchantAccountMutation, UpdateMerchantAccountMutationVariables>;
export const SetMerchantAccountStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetMerchantAccountStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetMerchantAccountStatusInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setMerchantAccountStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"merchantAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SetMerchantAccountStatusMutation, SetMerchantAccountStatusMutationVariables>;
export const TestMerchantConnectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TestMerchantConnection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"testMerchantConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ok"}},{"kind":"Field","name":{"kind":"Name","value":"checks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"ok"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<TestMerchantConnectionMutation, TestMerchantConnectionMutationVariables>;
export const MerchantAccountsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MerchantAccounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"merchantAccounts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MerchantAccountFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MerchantAccountFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MerchantAccount"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mchid"}},{"kind":"Field","name":{"kind":"Name","value":"officialAccountAppid"}},{"kind":"Field","name":{"kind":"Name","value":"apiBaseUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"merchantSerialNo"}},{"kind":"Field","name":{"kind":"Name","value":"merchantCertificateExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"apiV3KeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"apiV2KeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"privateKeyFingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"wechatPayPublicKeyId"}},{"kind":"Field","name":{"kind":"Name","value":"capabilities"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"smallRedPacket"}},{"kind":"Field","name":{"kind":"Name","value":"payoutChannel"}},{"kind":"Field","name":{"kind":"Name","value":"transferSceneId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastConnectionTestOk"}}]}}]} as unknown as DocumentNode<MerchantAccountsQuery, MerchantAccountsQueryVariables>;