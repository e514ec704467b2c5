-- Workspaces: the warm pool (issue 5 "Fast start (1)"). A workspace claimed from the pool keeps the pool
-- container's workload id and volume; WarmPoolEntries holds the pre-started containers.

ALTER TABLE "Workspaces" ADD "WorkloadId" TEXT NULL;
ALTER TABLE "Workspaces" ADD "VolumeName" TEXT NULL;

CREATE TABLE "WarmPoolEntries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WarmPoolEntries" PRIMARY KEY,
    "Pool" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Image" TEXT NOT NULL,
    "ImageId" TEXT NULL,
    "VolumeName" TEXT NOT NULL,
    "VncPasswordProtected" TEXT NOT NULL,
    "Ready" INTEGER NOT NULL,
    "WorkspaceId" INTEGER NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE INDEX "IX_WarmPoolEntries_Pool_WorkspaceId" ON "WarmPoolEntries" ("Pool", "WorkspaceId");

CREATE UNIQUE INDEX "IX_WarmPoolEntries_WorkspaceId" ON "WarmPoolEntries" ("WorkspaceId");
