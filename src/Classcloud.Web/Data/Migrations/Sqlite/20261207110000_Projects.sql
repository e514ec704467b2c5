-- Projects (issue 14): deployed apps, their builds (with logs) and revisions (images in the registry).

CREATE TABLE "Projects" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Projects" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "OwnerId" INTEGER NOT NULL,
    "GroupId" INTEGER NULL,
    "CourseId" INTEGER NULL,
    "Access" TEXT NOT NULL,
    "Template" TEXT NULL,
    "MinInstances" INTEGER NOT NULL,
    "MaxInstances" INTEGER NOT NULL,
    "TargetConcurrency" INTEGER NOT NULL,
    "IdleMinutes" INTEGER NOT NULL,
    "EnvironmentJson" TEXT NOT NULL,
    "SourceUploadedAt" TEXT NULL,
    "CurrentRevisionId" INTEGER NULL,
    "LastRequestAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Projects_AspNetUsers_OwnerId" FOREIGN KEY ("OwnerId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Projects_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Projects_Groups_GroupId" FOREIGN KEY ("GroupId") REFERENCES "Groups" ("Id") ON DELETE SET NULL
);

CREATE TABLE "ProjectBuilds" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ProjectBuilds" PRIMARY KEY AUTOINCREMENT,
    "ProjectId" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "Template" TEXT NULL,
    "Explanation" TEXT NULL,
    "Log" TEXT NOT NULL,
    "RevisionNumber" INTEGER NULL,
    "RequestedById" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "FinishedAt" TEXT NULL,
    CONSTRAINT "FK_ProjectBuilds_Projects_ProjectId" FOREIGN KEY ("ProjectId") REFERENCES "Projects" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ProjectRevisions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ProjectRevisions" PRIMARY KEY AUTOINCREMENT,
    "ProjectId" INTEGER NOT NULL,
    "Number" INTEGER NOT NULL,
    "BuildId" INTEGER NOT NULL,
    "Image" TEXT NOT NULL,
    "Digest" TEXT NULL,
    "Template" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_ProjectRevisions_Projects_ProjectId" FOREIGN KEY ("ProjectId") REFERENCES "Projects" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_ProjectBuilds_ProjectId" ON "ProjectBuilds" ("ProjectId");

CREATE UNIQUE INDEX "IX_ProjectRevisions_ProjectId_Number" ON "ProjectRevisions" ("ProjectId", "Number");

CREATE INDEX "IX_Projects_CourseId" ON "Projects" ("CourseId");

CREATE INDEX "IX_Projects_GroupId" ON "Projects" ("GroupId");

CREATE UNIQUE INDEX "IX_Projects_Name" ON "Projects" ("Name");

CREATE INDEX "IX_Projects_OwnerId" ON "Projects" ("OwnerId");
