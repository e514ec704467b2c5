-- The home disk limit (issue 16): the limit per workspace home (0: none), each home's last measured size, and when
-- its owner was warned it is near the limit.

ALTER TABLE "Settings" ADD "WorkspaceHomeBytes" INTEGER NOT NULL DEFAULT 5368709120;
ALTER TABLE "Workspaces" ADD "HomeBytes" INTEGER NULL;
ALTER TABLE "Workspaces" ADD "HomeWarnedAt" TEXT NULL;
