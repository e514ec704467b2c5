-- Notification mail (issue 17): each person's choice (null: the role's default) and their last daily digest;
-- notices marked important are mailed to every member.

CREATE TABLE "NotificationSettings" (
    "UserId" bigint NOT NULL,
    "Mail" character varying(16) NULL,
    "LastDigestAt" timestamp with time zone NULL,
    CONSTRAINT "PK_NotificationSettings" PRIMARY KEY ("UserId"),
    CONSTRAINT "FK_NotificationSettings_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

ALTER TABLE "Posts" ADD "Important" boolean NOT NULL DEFAULT FALSE;
ALTER TABLE "Posts" ALTER COLUMN "Important" DROP DEFAULT;
