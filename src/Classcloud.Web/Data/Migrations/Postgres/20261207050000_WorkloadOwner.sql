-- Workloads: one owner per workload (issue 11): the request's generation, the generation last converged,
-- and the claim of whoever converges it now (any process).

ALTER TABLE "Workloads" ADD "Generation" bigint NOT NULL DEFAULT 0;
ALTER TABLE "Workloads" ADD "ObservedGeneration" bigint NOT NULL DEFAULT 0;
ALTER TABLE "Workloads" ALTER COLUMN "Generation" DROP DEFAULT;
ALTER TABLE "Workloads" ALTER COLUMN "ObservedGeneration" DROP DEFAULT;
ALTER TABLE "Workloads" ADD "ClaimedBy" character varying(100) NULL;
ALTER TABLE "Workloads" ADD "ClaimedUntil" timestamp with time zone NULL;

-- Workspaces: "restarting" is a state of its own now, no longer "starting" with a reason that begins so.
UPDATE "Workspaces" SET "State" = 'restarting' WHERE "State" = 'starting' AND "Reason" LIKE 'The container stopped%';
