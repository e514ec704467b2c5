-- Monitoring: host and registry history, alert incidents (subject, resolution, mailing, who acknowledged).

ALTER TABLE "Alerts" ADD "Subject" TEXT NULL;
ALTER TABLE "Alerts" ADD "AcknowledgedById" INTEGER NULL;
ALTER TABLE "Alerts" ADD "ResolvedAt" TEXT NULL;
ALTER TABLE "Alerts" ADD "MailedAt" TEXT NULL;

-- Alerts raised before this migration were never mailed; mark them so the first pass does not mail old news.
UPDATE "Alerts" SET "MailedAt" = "CreatedAt";

CREATE INDEX "IX_Alerts_Kind_Subject" ON "Alerts" ("Kind", "Subject");

CREATE TABLE "HostSamples" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_HostSamples" PRIMARY KEY AUTOINCREMENT,
    "SampledAt" TEXT NOT NULL,
    "CpuPercent" REAL NOT NULL,
    "MemoryUsedBytes" INTEGER NOT NULL,
    "MemoryTotalBytes" INTEGER NOT NULL,
    "DiskUsedBytes" INTEGER NOT NULL,
    "DiskTotalBytes" INTEGER NOT NULL,
    "EngineDiskUsedBytes" INTEGER NULL,
    "EngineDiskTotalBytes" INTEGER NULL,
    "EngineUp" INTEGER NOT NULL,
    "Containers" INTEGER NULL
);

CREATE TABLE "RegistrySamples" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_RegistrySamples" PRIMARY KEY AUTOINCREMENT,
    "SampledAt" TEXT NOT NULL,
    "Up" INTEGER NOT NULL,
    "Repositories" INTEGER NOT NULL,
    "Tags" INTEGER NOT NULL,
    "Bytes" INTEGER NOT NULL
);

CREATE INDEX "IX_HostSamples_SampledAt" ON "HostSamples" ("SampledAt");

CREATE INDEX "IX_RegistrySamples_SampledAt" ON "RegistrySamples" ("SampledAt");
