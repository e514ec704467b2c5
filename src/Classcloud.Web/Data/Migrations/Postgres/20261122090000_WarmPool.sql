-- Workspaces: the warm pool (issue 5 "Fast start (1)"). A workspace claimed from the pool keeps the pool
-- container's workload id and volume; WarmPoolEntries holds the pre-started containers.

ALTER TABLE "Workspaces" ADD "WorkloadId" character varying(50) NULL;
ALTER TABLE "Workspaces" ADD "VolumeName" character varying(100) NULL;

CREATE TABLE "WarmPoolEntries" (
    "Id" character varying(50) NOT NULL,
    "Pool" character varying(50) NOT NULL,
    "Kind" character varying(16) NOT NULL,
    "Image" character varying(300) NOT NULL,
    "ImageId" character varying(100),
    "VolumeName" character varying(100) NOT NULL,
    "VncPasswordProtected" character varying(1000) NOT NULL,
    "Ready" boolean NOT NULL,
    "WorkspaceId" bigint,
    "CreatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_WarmPoolEntries" PRIMARY KEY ("Id")
);

CREATE INDEX "IX_WarmPoolEntries_Pool_WorkspaceId" ON "WarmPoolEntries" ("Pool", "WorkspaceId");

CREATE UNIQUE INDEX "IX_WarmPoolEntries_WorkspaceId" ON "WarmPoolEntries" ("WorkspaceId");
