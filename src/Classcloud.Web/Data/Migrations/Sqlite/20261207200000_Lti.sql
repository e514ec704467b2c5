-- Classcloud as an LTI 1.3 tool (issue 17): registered platforms, the tool's signing key (protected with the
-- data-protection ring), login states in flight (used once) and LMS courses placed on Classcloud courses.

CREATE TABLE "LtiPlatforms" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LtiPlatforms" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Issuer" TEXT NOT NULL,
    "ClientId" TEXT NOT NULL,
    "KeySetUrl" TEXT NOT NULL,
    "AuthUrl" TEXT NOT NULL,
    "AccessTokenUrl" TEXT NOT NULL,
    "DeploymentIds" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "LtiToolKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LtiToolKeys" PRIMARY KEY,
    "KeyId" TEXT NOT NULL,
    "ProtectedKey" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "LtiLoginStates" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LtiLoginStates" PRIMARY KEY AUTOINCREMENT,
    "StateHash" TEXT NOT NULL,
    "Nonce" TEXT NOT NULL,
    "PlatformId" INTEGER NOT NULL,
    "ExpiresAt" TEXT NOT NULL,
    CONSTRAINT "FK_LtiLoginStates_LtiPlatforms_PlatformId" FOREIGN KEY ("PlatformId") REFERENCES "LtiPlatforms" ("Id") ON DELETE CASCADE
);

CREATE TABLE "LtiContextLinks" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LtiContextLinks" PRIMARY KEY AUTOINCREMENT,
    "PlatformId" INTEGER NOT NULL,
    "ContextId" TEXT NOT NULL,
    "CourseId" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "MembershipsUrl" TEXT NULL,
    "LineItemsUrl" TEXT NULL,
    CONSTRAINT "FK_LtiContextLinks_Courses_CourseId" FOREIGN KEY ("CourseId") REFERENCES "Courses" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_LtiContextLinks_LtiPlatforms_PlatformId" FOREIGN KEY ("PlatformId") REFERENCES "LtiPlatforms" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_LtiPlatforms_Issuer_ClientId" ON "LtiPlatforms" ("Issuer", "ClientId");

CREATE INDEX "IX_LtiLoginStates_ExpiresAt" ON "LtiLoginStates" ("ExpiresAt");

CREATE INDEX "IX_LtiLoginStates_PlatformId" ON "LtiLoginStates" ("PlatformId");

CREATE UNIQUE INDEX "IX_LtiLoginStates_StateHash" ON "LtiLoginStates" ("StateHash");

CREATE INDEX "IX_LtiContextLinks_CourseId" ON "LtiContextLinks" ("CourseId");

CREATE UNIQUE INDEX "IX_LtiContextLinks_PlatformId_ContextId" ON "LtiContextLinks" ("PlatformId", "ContextId");
