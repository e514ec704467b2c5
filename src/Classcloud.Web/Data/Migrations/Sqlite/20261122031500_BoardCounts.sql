CREATE TABLE "Boards" (
    "CourseId" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "PostCount" INTEGER NOT NULL,
    "PublicPostCount" INTEGER NOT NULL,
    CONSTRAINT "PK_Boards" PRIMARY KEY ("CourseId", "Kind"),
    CONSTRAINT "FK_Boards_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE CASCADE
);

-- Every existing course gets its three boards, counted from its posts.
INSERT INTO "Boards" ("CourseId", "Kind", "PostCount", "PublicPostCount")
SELECT c."Id", k."Kind",
    (SELECT COUNT(*) FROM "Posts" p WHERE p."CourseId" = c."Id" AND p."Board" = k."Kind"),
    (SELECT COUNT(*) FROM "Posts" p WHERE p."CourseId" = c."Id" AND p."Board" = k."Kind" AND p."Visibility" = 'Everyone' AND NOT p."Hidden")
FROM "Courses" c CROSS JOIN (SELECT 'Notice' AS "Kind" UNION ALL SELECT 'Questions' UNION ALL SELECT 'Free') k;
