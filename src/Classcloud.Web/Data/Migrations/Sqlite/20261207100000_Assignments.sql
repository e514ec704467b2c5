-- Assignments (issue 13): assignments, their tests, extensions, deliveries into workspaces, submissions and test results.

CREATE TABLE "Assignments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Assignments" PRIMARY KEY AUTOINCREMENT,
    "CourseId" INTEGER NOT NULL,
    "Slug" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Language" TEXT NOT NULL,
    "RunCommand" TEXT NULL,
    "OpensAt" TEXT NOT NULL,
    "DueAt" TEXT NOT NULL,
    "LatePolicy" TEXT NOT NULL,
    "LatePenaltyPercent" INTEGER NOT NULL,
    "LateUntil" TEXT NULL,
    "StarterFilesJson" TEXT NOT NULL,
    "Released" INTEGER NOT NULL,
    "CollectedAt" TEXT NULL,
    "CreatedById" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Assignments_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AssignmentExtensions" (
    "AssignmentId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "DueAt" TEXT NOT NULL,
    "CollectedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "PK_AssignmentExtensions" PRIMARY KEY ("AssignmentId", "UserId"),
    CONSTRAINT "FK_AssignmentExtensions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AssignmentExtensions_Assignments_AssignmentId" FOREIGN KEY ("AssignmentId") REFERENCES "Assignments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AssignmentTests" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AssignmentTests" PRIMARY KEY AUTOINCREMENT,
    "AssignmentId" INTEGER NOT NULL,
    "Position" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "Stdin" TEXT NOT NULL,
    "ExpectedStdout" TEXT NOT NULL,
    "Compare" TEXT NOT NULL,
    "Points" INTEGER NOT NULL,
    "TimeLimitMs" INTEGER NOT NULL,
    "MemoryMb" INTEGER NOT NULL,
    "Visibility" TEXT NOT NULL,
    CONSTRAINT "FK_AssignmentTests_Assignments_AssignmentId" FOREIGN KEY ("AssignmentId") REFERENCES "Assignments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AssignmentDeliveries" (
    "AssignmentId" INTEGER NOT NULL,
    "WorkspaceId" INTEGER NOT NULL,
    "DeliveredAt" TEXT NOT NULL,
    "Error" TEXT NULL,
    CONSTRAINT "PK_AssignmentDeliveries" PRIMARY KEY ("AssignmentId", "WorkspaceId"),
    CONSTRAINT "FK_AssignmentDeliveries_Assignments_AssignmentId" FOREIGN KEY ("AssignmentId") REFERENCES "Assignments" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AssignmentDeliveries_Workspaces_WorkspaceId" FOREIGN KEY ("WorkspaceId") REFERENCES "Workspaces" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Submissions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Submissions" PRIMARY KEY AUTOINCREMENT,
    "AssignmentId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "WorkspaceId" INTEGER NULL,
    "Source" TEXT NOT NULL,
    "TakenAt" TEXT NOT NULL,
    "Late" INTEGER NOT NULL,
    "ContentHash" TEXT NOT NULL,
    "FilesJson" TEXT NOT NULL,
    "ArchiveKey" TEXT NOT NULL,
    "SizeBytes" INTEGER NOT NULL,
    "Note" TEXT NULL,
    "GradeState" TEXT NOT NULL,
    "GradeError" TEXT NULL,
    "GradedAt" TEXT NULL,
    "Score" REAL NULL,
    "MaxScore" REAL NOT NULL,
    "Override" REAL NULL,
    "Feedback" TEXT NULL,
    CONSTRAINT "FK_Submissions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Submissions_Assignments_AssignmentId" FOREIGN KEY ("AssignmentId") REFERENCES "Assignments" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Submissions_Workspaces_WorkspaceId" FOREIGN KEY ("WorkspaceId") REFERENCES "Workspaces" ("Id") ON DELETE SET NULL
);

CREATE TABLE "TestResults" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TestResults" PRIMARY KEY AUTOINCREMENT,
    "SubmissionId" INTEGER NOT NULL,
    "TestId" INTEGER NOT NULL,
    "Passed" INTEGER NOT NULL,
    "Points" REAL NOT NULL,
    "Actual" TEXT NOT NULL,
    "Stderr" TEXT NOT NULL,
    "ExitCode" INTEGER NULL,
    "TimeMs" INTEGER NOT NULL,
    "TimedOut" INTEGER NOT NULL,
    "Note" TEXT NULL,
    CONSTRAINT "FK_TestResults_AssignmentTests_TestId" FOREIGN KEY ("TestId") REFERENCES "AssignmentTests" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TestResults_Submissions_SubmissionId" FOREIGN KEY ("SubmissionId") REFERENCES "Submissions" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AssignmentDeliveries_WorkspaceId" ON "AssignmentDeliveries" ("WorkspaceId");

CREATE INDEX "IX_AssignmentExtensions_UserId" ON "AssignmentExtensions" ("UserId");

CREATE UNIQUE INDEX "IX_Assignments_CourseId_Slug" ON "Assignments" ("CourseId", "Slug");

CREATE INDEX "IX_Assignments_DueAt" ON "Assignments" ("DueAt");

CREATE INDEX "IX_AssignmentTests_AssignmentId_Position" ON "AssignmentTests" ("AssignmentId", "Position");

CREATE INDEX "IX_Submissions_AssignmentId_UserId_TakenAt" ON "Submissions" ("AssignmentId", "UserId", "TakenAt");

CREATE INDEX "IX_Submissions_GradeState" ON "Submissions" ("GradeState");

CREATE INDEX "IX_Submissions_UserId" ON "Submissions" ("UserId");

CREATE INDEX "IX_Submissions_WorkspaceId" ON "Submissions" ("WorkspaceId");

CREATE INDEX "IX_TestResults_SubmissionId" ON "TestResults" ("SubmissionId");

CREATE INDEX "IX_TestResults_TestId" ON "TestResults" ("TestId");
