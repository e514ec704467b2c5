-- Settings: the per-user CPU and memory quota of running workspaces and projects (issue 16); 0 means no limit.

ALTER TABLE "Settings" ADD "UserCpuQuota" double precision NOT NULL DEFAULT 4;
ALTER TABLE "Settings" ADD "UserMemoryQuotaBytes" bigint NOT NULL DEFAULT 4294967296;
ALTER TABLE "Settings" ADD "QuotaExemptAdmins" boolean NOT NULL DEFAULT FALSE;
ALTER TABLE "Settings" ALTER COLUMN "UserCpuQuota" DROP DEFAULT;
ALTER TABLE "Settings" ALTER COLUMN "UserMemoryQuotaBytes" DROP DEFAULT;
ALTER TABLE "Settings" ALTER COLUMN "QuotaExemptAdmins" DROP DEFAULT;
