/** OUTSCALE regions, hard-coded: ReadRegions may not list them all (see providers.md). */
export const OUTSCALE_REGIONS = [
  "eu-west-2",
  "us-east-2",
  "us-west-1",
  "cloudgouv-eu-west-1",
  "ap-northeast-1",
] as const;
export type OutscaleRegion = (typeof OUTSCALE_REGIONS)[number];
