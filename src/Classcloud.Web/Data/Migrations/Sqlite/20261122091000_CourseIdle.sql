-- Courses: per-course idle suspend and stop minutes for linked workspaces (null: the installation default).

ALTER TABLE "Courses" ADD "IdleSuspendMinutes" INTEGER NULL;
ALTER TABLE "Courses" ADD "IdleStopMinutes" INTEGER NULL;
