// Every table of the application, for drizzle-kit and for the typed query builder.
export * from "../modules/campaigns/campaign.table.js";
