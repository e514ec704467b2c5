-- Projects from Git (issue 14): the repository, branch and deploy key, the push webhook's secret, and the commit each build took.

ALTER TABLE "Projects" ADD "GitUrl" character varying(500) NULL;

ALTER TABLE "Projects" ADD "GitBranch" character varying(200) NULL;

ALTER TABLE "Projects" ADD "GitDeployKey" character varying(2000) NULL;

ALTER TABLE "Projects" ADD "GitDeployUser" character varying(100) NULL;

ALTER TABLE "Projects" ADD "HookSecret" character varying(2000) NULL;

ALTER TABLE "ProjectBuilds" ADD "Commit" character varying(64) NULL;
