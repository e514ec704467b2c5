-- Several processes on one database (issue 15): the process whose queue holds a workspace's job, and when a
-- gateway process last saw someone connected (the idle watcher reads it, whichever process it runs in).

ALTER TABLE "Workspaces" ADD "JobHolder" character varying(200) NULL;
ALTER TABLE "Workspaces" ADD "LastSeenAt" timestamp with time zone NULL;
