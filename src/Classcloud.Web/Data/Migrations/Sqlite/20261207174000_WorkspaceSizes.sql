-- Workspace sizes (issue 17): the size a workspace was made in; null is the standard size (made before sizes).

ALTER TABLE "Workspaces" ADD "Size" TEXT NULL;
