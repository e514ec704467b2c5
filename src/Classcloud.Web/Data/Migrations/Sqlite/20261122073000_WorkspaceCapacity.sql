-- Workspaces: a start waits for capacity in a queue ordered by QueuedAt.

ALTER TABLE "Workspaces" ADD "QueuedAt" TEXT NULL;
