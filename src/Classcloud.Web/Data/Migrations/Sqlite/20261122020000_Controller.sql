-- Controller: leader lease, desired workloads, alerts.

CREATE TABLE "Alerts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Alerts" PRIMARY KEY AUTOINCREMENT,
    "Kind" TEXT NOT NULL,
    "WorkloadId" TEXT NULL,
    "Message" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "AcknowledgedAt" TEXT NULL
);

CREATE TABLE "Leases" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_Leases" PRIMARY KEY,
    "HolderId" TEXT NOT NULL,
    "ExpiresAt" TEXT NOT NULL
);

CREATE TABLE "Workloads" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Workloads" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "OwnerId" INTEGER NULL,
    "Tenant" TEXT NULL,
    "SpecJson" TEXT NOT NULL,
    "DesiredState" TEXT NOT NULL,
    "ObservedState" TEXT NULL,
    "RestartCount" INTEGER NOT NULL,
    "WindowRestarts" INTEGER NOT NULL,
    "RestartWindowStartedAt" TEXT NULL,
    "LastError" TEXT NULL,
    "CrashLoop" INTEGER NOT NULL,
    "NextRetryAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE INDEX "IX_Alerts_CreatedAt" ON "Alerts" ("CreatedAt");

CREATE INDEX "IX_Workloads_OwnerId" ON "Workloads" ("OwnerId");

CREATE INDEX "IX_Workloads_Tenant" ON "Workloads" ("Tenant");
