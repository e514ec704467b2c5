-- The token of each course workspace's `classcloud` command (issue 13), stored hashed, gone with its workspace.

CREATE TABLE "WorkspaceCliTokens" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WorkspaceCliTokens" PRIMARY KEY AUTOINCREMENT,
    "WorkspaceId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "CourseId" INTEGER NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_WorkspaceCliTokens_Workspaces_WorkspaceId" FOREIGN KEY ("WorkspaceId") REFERENCES "Workspaces" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_WorkspaceCliTokens_TokenHash" ON "WorkspaceCliTokens" ("TokenHash");

CREATE INDEX "IX_WorkspaceCliTokens_WorkspaceId" ON "WorkspaceCliTokens" ("WorkspaceId");
