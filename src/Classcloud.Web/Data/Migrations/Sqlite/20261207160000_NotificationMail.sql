-- Notification mail (issue 17): each person's choice (null: the role's default) and their last daily digest;
-- notices marked important are mailed to every member.

CREATE TABLE "NotificationSettings" (
    "UserId" INTEGER NOT NULL CONSTRAINT "PK_NotificationSettings" PRIMARY KEY,
    "Mail" TEXT NULL,
    "LastDigestAt" TEXT NULL,
    CONSTRAINT "FK_NotificationSettings_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

ALTER TABLE "Posts" ADD "Important" INTEGER NOT NULL DEFAULT 0;
