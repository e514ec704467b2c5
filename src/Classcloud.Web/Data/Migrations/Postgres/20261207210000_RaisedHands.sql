-- Raised hands (issue 17): a student asks the teacher for help from their course workspace's session.

ALTER TABLE "Workspaces" ADD "HandRaisedAt" timestamp with time zone NULL;
