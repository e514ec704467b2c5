-- Courses: archived at term end (read-only until reopened); null while the course runs.

ALTER TABLE "Courses" ADD "ArchivedAt" TEXT NULL;
