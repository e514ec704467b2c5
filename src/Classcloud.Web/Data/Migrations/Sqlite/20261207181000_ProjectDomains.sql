-- Custom domains of projects (issue 14): routed and certified only once a TXT record proved them.

CREATE TABLE "ProjectDomains" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ProjectDomains" PRIMARY KEY AUTOINCREMENT,
    "ProjectId" INTEGER NOT NULL,
    "Host" TEXT NOT NULL,
    "Token" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "VerifiedAt" TEXT NULL,
    CONSTRAINT "FK_ProjectDomains_Projects_ProjectId" FOREIGN KEY ("ProjectId") REFERENCES "Projects" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_ProjectDomains_Host" ON "ProjectDomains" ("Host");

CREATE INDEX "IX_ProjectDomains_ProjectId" ON "ProjectDomains" ("ProjectId");
