import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { FenScalar } from "../../graphql/scalars/fen.js";
import type { WechatPaySimulator } from "../../wechatpay/simulator/index.js";
import { connectMerchantAccount, getMerchantAccountRowOrThrow, type MerchantAccountResult } from "./merchant-account.service.js";
import { MerchantAccount } from "./merchant-account.type.js";
import { UserError } from "../../graphql/user-error.js";

@ObjectType({ description: "The built-in WeChat Pay simulator that runs when no WeChat Pay endpoint is configured." })
class WechatPaySimulatorInfo {
  @Field(() => String, { description: "APIv3 base URL; its /_simulator path is the simulator's control API." })
  apiBaseUrl!: string;

  @Field(() => String, { description: "APIv2 base URL (mutual TLS)." })
  apiV2BaseUrl!: string;
}

@InputType()
class SimulatorMerchantInput {
  @Field(() => String)
  name!: string;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "Grant red packets below 1 yuan." })
  smallRedPacket?: boolean;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: "False simulates a merchant onboarded after cash red packets closed; it pays by merchant transfer." })
  cashRedPacket?: boolean;

  @Field(() => FenScalar, { nullable: true, description: "Starting operating balance that funds red packets and transfers." })
  balance?: number | null;
}

@InputType()
class SimulatorVoucherStockInput {
  @Field(() => ID)
  merchantAccountId!: string;

  @Field(() => String)
  stockName!: string;

  @Field(() => FenScalar)
  couponAmount!: number;

  @Field(() => FenScalar)
  transactionMinimum!: number;

  @Field(() => Int)
  maxCoupons!: number;

  @Field(() => Int)
  maxCouponsPerUser!: number;
}

@ObjectType()
class SimulatorVoucherStock {
  @Field(() => String)
  stockId!: string;
}

@ObjectType()
class SimulatorMerchantPayload {
  @Field(() => MerchantAccount, { nullable: true })
  merchantAccount!: MerchantAccount | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

/** Check a batch against the simulator's rules first, so a mistake reads as bad input, not a crash. */
function checkStockInput(input: SimulatorVoucherStockInput): void {
  const reject = (field: string, value: unknown, reason: string) => {
    throw new DomainError("BAD_USER_INPUT", "INVALID_STOCK_SETTING", "merchant.invalidStockSetting", { field, value: String(value), reason }, { field });
  };
  const name = input.stockName.trim();
  if (name.length < 1 || name.length > 20) reject("stockName", input.stockName, "1-20");
  if (input.couponAmount < 1) reject("couponAmount", input.couponAmount, "≥ 1");
  // WeChat Pay models a voucher without threshold as a minimum spend one fen above the face value.
  if (input.transactionMinimum <= input.couponAmount) reject("transactionMinimum", input.transactionMinimum, `> ${input.couponAmount}`);
  if (!Number.isSafeInteger(input.maxCoupons) || input.maxCoupons < 1 || input.maxCoupons > 1_000_000_000) reject("maxCoupons", input.maxCoupons, "1-1000000000");
  if (input.maxCouponsPerUser < 1 || input.maxCouponsPerUser > 100) reject("maxCouponsPerUser", input.maxCouponsPerUser, "1-100");
}

function requireSimulator(ctx: RequestContext): WechatPaySimulator {
  const simulator = ctx.services.simulator;
  if (!simulator) throw new DomainError("CONFLICT", "SIMULATOR_NOT_RUNNING", "merchant.simulatorNotRunning");
  return simulator;
}

/**
 * Shortcuts for the embedded mode: what a brand would otherwise do on the WeChat Pay merchant platform
 * (open a merchant account, create a voucher batch), done against the built-in simulator.
 */
@Resolver()
export class SimulatorResolver {
  @Authorized(Audience.admin)
  @Query(() => WechatPaySimulatorInfo, { nullable: true, description: "The built-in simulator, or null when a real endpoint is configured." })
  wechatPaySimulator(@Ctx() ctx: RequestContext): WechatPaySimulatorInfo | null {
    const simulator = ctx.services.simulator;
    return simulator ? { apiBaseUrl: simulator.apiBaseUrl, apiV2BaseUrl: simulator.apiV2BaseUrl } : null;
  }

  @Authorized(Audience.admin)
  @Mutation(() => SimulatorMerchantPayload, { description: "Open a merchant account in the built-in simulator and connect it." })
  async simulatorConnectMerchantAccount(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SimulatorMerchantInput) input: SimulatorMerchantInput,
  ): Promise<MerchantAccountResult> {
    const simulator = requireSimulator(ctx);
    const merchant = await simulator.createMerchant({
      smallRedPacket: input.smallRedPacket ?? false,
      cashRedPacket: input.cashRedPacket ?? true,
      ...(input.balance ? { balance: input.balance } : {}),
    });
    return connectMerchantAccount(ctx, {
      name: input.name,
      mchid: merchant.mchid,
      officialAccountAppid: merchant.appids[0]!,
      apiBaseUrl: merchant.apiBaseUrl,
      apiV2BaseUrl: merchant.apiV2BaseUrl ?? null,
      smallRedPacketEnabled: input.smallRedPacket ?? false,
      payoutChannel: input.cashRedPacket === false ? "MERCHANT_TRANSFER" : "CASH_RED_PACKET",
      transferSceneId: input.cashRedPacket === false ? "1000" : null,
      credentials: {
        apiV3Key: merchant.apiV3Key,
        apiV2Key: merchant.apiV2Key,
        merchantSerialNo: merchant.merchantSerialNo,
        merchantPrivateKeyPem: merchant.merchantPrivateKeyPem,
        merchantCertificatePem: merchant.merchantCertificatePem,
        wechatPayPublicKeyId: merchant.wechatPayPublicKeyId ?? null,
        wechatPayPublicKeyPem: merchant.wechatPayPublicKeyPem ?? null,
        platformCertificatePems: merchant.platformCertificatePems ?? null,
        tlsCaPem: merchant.tlsCaPem ?? null,
      },
    });
  }

  @Authorized(Audience.admin)
  @Mutation(() => SimulatorVoucherStock, { description: "Create a running voucher batch in the built-in simulator, as a brand does on the merchant platform." })
  async simulatorCreateVoucherStock(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SimulatorVoucherStockInput) input: SimulatorVoucherStockInput,
  ): Promise<SimulatorVoucherStock> {
    const simulator = requireSimulator(ctx);
    const account = await getMerchantAccountRowOrThrow(tenantScope(ctx), input.merchantAccountId);
    checkStockInput(input);
    // The batch opens a week before the server's "now", which the demo moves a few days into the past.
    const opensAt = new Date(ctx.services.now().getTime() - 7 * 86_400_000);
    const stock = simulator.createStock(account.mchid, {
      start_time: opensAt.toISOString(),
      stock_name: input.stockName,
      coupon_amount: input.couponAmount,
      transaction_minimum: input.transactionMinimum,
      max_coupons: input.maxCoupons,
      max_coupons_per_user: input.maxCouponsPerUser,
    });
    return { stockId: String(stock["stock_id"]) };
  }
}
