CREATE TABLE "Groups" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Groups" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "Courses" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Courses" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Section" TEXT NULL,
    "Capacity" INTEGER NULL,
    "JoinPolicy" TEXT NOT NULL,
    "OwnerId" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Courses_AspNetUsers_OwnerId" FOREIGN KEY ("OwnerId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "GroupInvitations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_GroupInvitations" PRIMARY KEY AUTOINCREMENT,
    "GroupId" INTEGER NOT NULL,
    "Email" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "InvitedById" INTEGER NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_GroupInvitations_AspNetUsers_InvitedById" FOREIGN KEY ("InvitedById") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_GroupInvitations_Groups_GroupId" FOREIGN KEY ("GroupId") REFERENCES "Groups" ("Id") ON DELETE CASCADE
);

CREATE TABLE "GroupMembers" (
    "GroupId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "Role" TEXT NOT NULL,
    "JoinedAt" TEXT NOT NULL,
    CONSTRAINT "PK_GroupMembers" PRIMARY KEY ("GroupId", "UserId"),
    CONSTRAINT "FK_GroupMembers_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_GroupMembers_Groups_GroupId" FOREIGN KEY ("GroupId") REFERENCES "Groups" ("Id") ON DELETE CASCADE
);

CREATE TABLE "CoEducators" (
    "CourseId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "AddedAt" TEXT NOT NULL,
    CONSTRAINT "PK_CoEducators" PRIMARY KEY ("CourseId", "UserId"),
    CONSTRAINT "FK_CoEducators_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CoEducators_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE CASCADE
);

CREATE TABLE "CourseInvitations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CourseInvitations" PRIMARY KEY AUTOINCREMENT,
    "CourseId" INTEGER NOT NULL,
    "Email" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "StudentNumber" TEXT NULL,
    "InvitedById" INTEGER NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_CourseInvitations_AspNetUsers_InvitedById" FOREIGN KEY ("InvitedById") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_CourseInvitations_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Enrolments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Enrolments" PRIMARY KEY AUTOINCREMENT,
    "CourseId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "StudentNumber" TEXT NULL,
    "AppliedAt" TEXT NOT NULL,
    "DecidedAt" TEXT NULL,
    CONSTRAINT "FK_Enrolments_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Enrolments_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Posts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Posts" PRIMARY KEY AUTOINCREMENT,
    "CourseId" INTEGER NOT NULL,
    "Board" TEXT NOT NULL,
    "AuthorId" INTEGER NULL,
    "Title" TEXT NOT NULL,
    "Body" TEXT NOT NULL,
    "Visibility" TEXT NOT NULL,
    "Pinned" INTEGER NOT NULL,
    "Hidden" INTEGER NOT NULL,
    "CommentCount" INTEGER NOT NULL,
    "TopLevelCommentCount" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Posts_AspNetUsers_AuthorId" FOREIGN KEY ("AuthorId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Posts_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Attachments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Attachments" PRIMARY KEY AUTOINCREMENT,
    "PostId" INTEGER NOT NULL,
    "UploaderId" INTEGER NULL,
    "FileName" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "Size" INTEGER NOT NULL,
    "StorageKey" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Attachments_AspNetUsers_UploaderId" FOREIGN KEY ("UploaderId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Attachments_Posts_PostId" FOREIGN KEY ("PostId") REFERENCES "Posts" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Comments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Comments" PRIMARY KEY AUTOINCREMENT,
    "PostId" INTEGER NOT NULL,
    "ParentId" INTEGER NULL,
    "AuthorId" INTEGER NULL,
    "Depth" INTEGER NOT NULL,
    "Path" TEXT NOT NULL,
    "Ordinal" INTEGER NOT NULL,
    "ReplyCount" INTEGER NOT NULL,
    "Body" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "DeletedAt" TEXT NULL,
    CONSTRAINT "FK_Comments_AspNetUsers_AuthorId" FOREIGN KEY ("AuthorId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Comments_Comments_ParentId" FOREIGN KEY ("ParentId") REFERENCES "Comments" ("Id"),
    CONSTRAINT "FK_Comments_Posts_PostId" FOREIGN KEY ("PostId") REFERENCES "Posts" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Notifications" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Notifications" PRIMARY KEY AUTOINCREMENT,
    "UserId" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "CourseId" INTEGER NULL,
    "PostId" INTEGER NULL,
    "CommentId" INTEGER NULL,
    "GroupId" INTEGER NULL,
    "ActorId" INTEGER NULL,
    "ActorName" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "Title" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ReadAt" TEXT NULL,
    CONSTRAINT "FK_Notifications_AspNetUsers_ActorId" FOREIGN KEY ("ActorId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Notifications_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Notifications_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Notifications_Groups_GroupId" FOREIGN KEY ("GroupId") REFERENCES "Groups" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Notifications_Posts_PostId" FOREIGN KEY ("PostId") REFERENCES "Posts" ("Id") ON DELETE CASCADE
);

CREATE TABLE "PostReads" (
    "PostId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "ReadAt" TEXT NOT NULL,
    CONSTRAINT "PK_PostReads" PRIMARY KEY ("PostId", "UserId"),
    CONSTRAINT "FK_PostReads_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_PostReads_Posts_PostId" FOREIGN KEY ("PostId") REFERENCES "Posts" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Attachments_PostId" ON "Attachments" ("PostId");

CREATE UNIQUE INDEX "IX_Attachments_StorageKey" ON "Attachments" ("StorageKey");

CREATE INDEX "IX_Attachments_UploaderId" ON "Attachments" ("UploaderId");

CREATE INDEX "IX_CoEducators_UserId" ON "CoEducators" ("UserId");

CREATE INDEX "IX_Comments_AuthorId" ON "Comments" ("AuthorId");

CREATE INDEX "IX_Comments_ParentId" ON "Comments" ("ParentId");

CREATE INDEX "IX_Comments_PostId_Ordinal" ON "Comments" ("PostId", "Ordinal");

CREATE UNIQUE INDEX "IX_Comments_PostId_Path" ON "Comments" ("PostId", "Path");

CREATE UNIQUE INDEX "IX_CourseInvitations_CourseId_Email" ON "CourseInvitations" ("CourseId", "Email");

CREATE INDEX "IX_CourseInvitations_Email" ON "CourseInvitations" ("Email");

CREATE INDEX "IX_CourseInvitations_InvitedById" ON "CourseInvitations" ("InvitedById");

CREATE INDEX "IX_Courses_Name" ON "Courses" ("Name");

CREATE INDEX "IX_Courses_OwnerId" ON "Courses" ("OwnerId");

CREATE UNIQUE INDEX "IX_Enrolments_CourseId_UserId" ON "Enrolments" ("CourseId", "UserId");

CREATE INDEX "IX_Enrolments_UserId_Status" ON "Enrolments" ("UserId", "Status");

CREATE INDEX "IX_GroupInvitations_Email" ON "GroupInvitations" ("Email");

CREATE UNIQUE INDEX "IX_GroupInvitations_GroupId_Email" ON "GroupInvitations" ("GroupId", "Email");

CREATE INDEX "IX_GroupInvitations_InvitedById" ON "GroupInvitations" ("InvitedById");

CREATE INDEX "IX_GroupMembers_UserId" ON "GroupMembers" ("UserId");

CREATE INDEX "IX_Groups_Name" ON "Groups" ("Name");

CREATE INDEX "IX_Notifications_ActorId" ON "Notifications" ("ActorId");

CREATE INDEX "IX_Notifications_CourseId" ON "Notifications" ("CourseId");

CREATE INDEX "IX_Notifications_GroupId" ON "Notifications" ("GroupId");

CREATE INDEX "IX_Notifications_PostId" ON "Notifications" ("PostId");

CREATE INDEX "IX_Notifications_UserId_Id" ON "Notifications" ("UserId", "Id");

CREATE INDEX "IX_Notifications_UserId_ReadAt" ON "Notifications" ("UserId", "ReadAt");

CREATE INDEX "IX_PostReads_UserId" ON "PostReads" ("UserId");

CREATE INDEX "IX_Posts_AuthorId" ON "Posts" ("AuthorId");

CREATE INDEX "IX_Posts_CourseId_Board_Pinned_Id" ON "Posts" ("CourseId", "Board", "Pinned", "Id");
