-- Courses: per-course idle suspend and stop minutes for linked workspaces (null: the installation default).

ALTER TABLE "Courses" ADD "IdleSuspendMinutes" integer NULL;
ALTER TABLE "Courses" ADD "IdleStopMinutes" integer NULL;
