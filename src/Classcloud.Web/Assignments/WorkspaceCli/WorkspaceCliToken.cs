using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Assignments.WorkspaceCli;

/// <summary>
/// The token of one course workspace's <c>classcloud</c> command: it acts for the workspace's owner in the workspace's
/// course, on the workspace-CLI routes only. Only its SHA-256 hash is stored here; the value itself reaches the
/// container as a secret variable (kept encrypted in the workload request, as every workload secret is). The row goes
/// with its workspace (cascade), which is what revokes it.
/// </summary>
public sealed class WorkspaceCliToken
{
    public const string Prefix = "ccw_";
    public const string Variable = "CLASSCLOUD_TOKEN";

    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long UserId { get; set; }
    public long CourseId { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

internal sealed class WorkspaceCliTokenConfiguration : IEntityTypeConfiguration<WorkspaceCliToken>
{
    public void Configure(EntityTypeBuilder<WorkspaceCliToken> b)
    {
        b.ToTable("WorkspaceCliTokens");
        b.Property(t => t.TokenHash).HasMaxLength(AssignmentLimits.Hash);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.WorkspaceId);
        b.HasOne<Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
