-- Settings: the per-user CPU and memory quota of running workspaces and projects (issue 16); 0 means no limit.

ALTER TABLE "Settings" ADD "UserCpuQuota" REAL NOT NULL DEFAULT 4;
ALTER TABLE "Settings" ADD "UserMemoryQuotaBytes" INTEGER NOT NULL DEFAULT 4294967296;
ALTER TABLE "Settings" ADD "QuotaExemptAdmins" INTEGER NOT NULL DEFAULT 0;
