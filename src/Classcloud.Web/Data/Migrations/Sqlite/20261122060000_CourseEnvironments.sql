-- Course environments (issue 5, seed 000 §4.6): published snapshots and automatic provisioning.
CREATE TABLE "CourseEnvironments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CourseEnvironments" PRIMARY KEY AUTOINCREMENT,
    "CourseId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "SnapshotId" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "ProvisionAutomatically" INTEGER NOT NULL,
    "CreatedById" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_CourseEnvironments_AspNetUsers_CreatedById" FOREIGN KEY ("CreatedById") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CourseEnvironments_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CourseEnvironments_WorkspaceSnapshots_SnapshotId" FOREIGN KEY ("SnapshotId") REFERENCES "WorkspaceSnapshots" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CourseProvisions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CourseProvisions" PRIMARY KEY AUTOINCREMENT,
    "EnvironmentId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "WorkspaceId" INTEGER NULL,
    "Note" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_CourseProvisions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CourseProvisions_CourseEnvironments_EnvironmentId" FOREIGN KEY ("EnvironmentId") REFERENCES "CourseEnvironments" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CourseProvisions_Workspaces_WorkspaceId" FOREIGN KEY ("WorkspaceId") REFERENCES "Workspaces" ("Id") ON DELETE SET NULL
);

CREATE INDEX "IX_CourseEnvironments_CourseId" ON "CourseEnvironments" ("CourseId");

CREATE INDEX "IX_CourseEnvironments_CreatedById" ON "CourseEnvironments" ("CreatedById");

CREATE INDEX "IX_CourseEnvironments_SnapshotId" ON "CourseEnvironments" ("SnapshotId");

CREATE UNIQUE INDEX "IX_CourseProvisions_EnvironmentId_UserId" ON "CourseProvisions" ("EnvironmentId", "UserId");

CREATE INDEX "IX_CourseProvisions_UserId" ON "CourseProvisions" ("UserId");

CREATE INDEX "IX_CourseProvisions_WorkspaceId" ON "CourseProvisions" ("WorkspaceId");
