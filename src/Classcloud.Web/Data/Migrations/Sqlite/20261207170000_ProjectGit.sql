-- Projects from Git (issue 14): the repository, branch and deploy key, the push webhook's secret, and the commit each build took.

ALTER TABLE "Projects" ADD "GitUrl" TEXT NULL;

ALTER TABLE "Projects" ADD "GitBranch" TEXT NULL;

ALTER TABLE "Projects" ADD "GitDeployKey" TEXT NULL;

ALTER TABLE "Projects" ADD "GitDeployUser" TEXT NULL;

ALTER TABLE "Projects" ADD "HookSecret" TEXT NULL;

ALTER TABLE "ProjectBuilds" ADD "Commit" TEXT NULL;
