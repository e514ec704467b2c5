-- Workspaces: workspaces, their snapshots and share keys.

CREATE TABLE "Workspaces" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Workspaces" PRIMARY KEY AUTOINCREMENT,
    "OwnerId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Visibility" TEXT NOT NULL,
    "GuestAccess" TEXT NOT NULL,
    "CourseId" INTEGER NULL,
    "State" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "Image" TEXT NOT NULL,
    "SnapshotId" INTEGER NULL,
    "ProgressBytes" INTEGER NULL,
    "Deleting" INTEGER NOT NULL,
    "VncPasswordProtected" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Workspaces_AspNetUsers_OwnerId" FOREIGN KEY ("OwnerId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Workspaces_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE SET NULL
);

CREATE TABLE "WorkspaceSnapshots" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WorkspaceSnapshots" PRIMARY KEY AUTOINCREMENT,
    "WorkspaceId" INTEGER NULL,
    "OwnerId" INTEGER NOT NULL,
    "Number" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Image" TEXT NOT NULL,
    "Digest" TEXT NULL,
    "SizeBytes" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_WorkspaceSnapshots_Workspaces_WorkspaceId" FOREIGN KEY ("WorkspaceId") REFERENCES "Workspaces" ("Id") ON DELETE SET NULL
);

CREATE TABLE "WorkspaceKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WorkspaceKeys" PRIMARY KEY AUTOINCREMENT,
    "SnapshotId" INTEGER NOT NULL,
    "CreatedById" INTEGER NOT NULL,
    "KeyHash" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ExpiresAt" TEXT NULL,
    "RevokedAt" TEXT NULL,
    CONSTRAINT "FK_WorkspaceKeys_AspNetUsers_CreatedById" FOREIGN KEY ("CreatedById") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_WorkspaceKeys_WorkspaceSnapshots_SnapshotId" FOREIGN KEY ("SnapshotId") REFERENCES "WorkspaceSnapshots" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_WorkspaceKeys_CreatedById" ON "WorkspaceKeys" ("CreatedById");

CREATE UNIQUE INDEX "IX_WorkspaceKeys_KeyHash" ON "WorkspaceKeys" ("KeyHash");

CREATE INDEX "IX_WorkspaceKeys_SnapshotId" ON "WorkspaceKeys" ("SnapshotId");

CREATE INDEX "IX_Workspaces_CourseId" ON "Workspaces" ("CourseId");

CREATE INDEX "IX_Workspaces_Name" ON "Workspaces" ("Name");

CREATE INDEX "IX_Workspaces_OwnerId" ON "Workspaces" ("OwnerId");

CREATE INDEX "IX_WorkspaceSnapshots_OwnerId" ON "WorkspaceSnapshots" ("OwnerId");

CREATE INDEX "IX_WorkspaceSnapshots_WorkspaceId_Number" ON "WorkspaceSnapshots" ("WorkspaceId", "Number");
