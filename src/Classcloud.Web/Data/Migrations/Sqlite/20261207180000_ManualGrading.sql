-- Manual grading (issue 13): rubric items of an assignment, the items ticked per submission (their points summed
-- on the submission), and educators' comments on lines of submitted files.

ALTER TABLE "Submissions" ADD "RubricPoints" REAL NULL;

CREATE TABLE "RubricItems" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_RubricItems" PRIMARY KEY AUTOINCREMENT,
    "AssignmentId" INTEGER NOT NULL,
    "Position" INTEGER NOT NULL,
    "Text" TEXT NOT NULL,
    "Points" REAL NOT NULL,
    CONSTRAINT "FK_RubricItems_Assignments_AssignmentId" FOREIGN KEY ("AssignmentId") REFERENCES "Assignments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "RubricChecks" (
    "SubmissionId" INTEGER NOT NULL,
    "RubricItemId" INTEGER NOT NULL,
    CONSTRAINT "PK_RubricChecks" PRIMARY KEY ("SubmissionId", "RubricItemId"),
    CONSTRAINT "FK_RubricChecks_RubricItems_RubricItemId" FOREIGN KEY ("RubricItemId") REFERENCES "RubricItems" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_RubricChecks_Submissions_SubmissionId" FOREIGN KEY ("SubmissionId") REFERENCES "Submissions" ("Id") ON DELETE CASCADE
);

CREATE TABLE "LineComments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LineComments" PRIMARY KEY AUTOINCREMENT,
    "SubmissionId" INTEGER NOT NULL,
    "Path" TEXT NOT NULL,
    "Line" INTEGER NOT NULL,
    "Text" TEXT NOT NULL,
    "AuthorId" INTEGER NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_LineComments_AspNetUsers_AuthorId" FOREIGN KEY ("AuthorId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_LineComments_Submissions_SubmissionId" FOREIGN KEY ("SubmissionId") REFERENCES "Submissions" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_RubricItems_AssignmentId_Position" ON "RubricItems" ("AssignmentId", "Position");

CREATE INDEX "IX_RubricChecks_RubricItemId" ON "RubricChecks" ("RubricItemId");

CREATE INDEX "IX_LineComments_AuthorId" ON "LineComments" ("AuthorId");

CREATE INDEX "IX_LineComments_SubmissionId" ON "LineComments" ("SubmissionId");
