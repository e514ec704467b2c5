using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Classcloud.Web.Groups;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Projects;

public static class ProjectLimits
{
    public const int Name = 40;
    public const int Image = 300;
    /// <summary>The build log kept in the row; a longer log keeps its end (where the error is).</summary>
    public const int Log = 200_000;
    public const int Environment = 20_000;
    public const int GitUrl = 500;
    public const int GitBranch = 200;
    /// <summary>A Data Protection payload of a short secret (a token of up to a few hundred characters).</summary>
    public const int Protected = 2000;
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> b)
    {
        b.Property(p => p.Name).HasMaxLength(ProjectLimits.Name);
        b.Property(p => p.Access).HasMaxLength(16);
        b.Property(p => p.Template).HasMaxLength(16);
        b.Property(p => p.EnvironmentJson).HasMaxLength(ProjectLimits.Environment);
        b.Property(p => p.GitUrl).HasMaxLength(ProjectLimits.GitUrl);
        b.Property(p => p.GitBranch).HasMaxLength(ProjectLimits.GitBranch);
        b.Property(p => p.GitDeployKey).HasMaxLength(ProjectLimits.Protected);
        b.Property(p => p.GitDeployUser).HasMaxLength(100);
        b.Property(p => p.HookSecret).HasMaxLength(ProjectLimits.Protected);
        b.HasIndex(p => p.Name).IsUnique();
        b.HasIndex(p => p.OwnerId);
        // Projects go before the account does; a deleted group or course takes its projects' sharing away.
        b.HasOne<User>().WithMany().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Group>().WithMany().HasForeignKey(p => p.GroupId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Course>().WithMany().HasForeignKey(p => p.CourseId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ProjectBuildConfiguration : IEntityTypeConfiguration<ProjectBuild>
{
    public void Configure(EntityTypeBuilder<ProjectBuild> b)
    {
        b.Property(x => x.Status).HasMaxLength(16);
        b.Property(x => x.Template).HasMaxLength(16);
        b.Property(x => x.Explanation).HasMaxLength(500);
        b.Property(x => x.Log).HasMaxLength(ProjectLimits.Log);
        b.Property(x => x.Commit).HasMaxLength(64);
        b.HasIndex(x => x.ProjectId);
        b.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProjectRevisionConfiguration : IEntityTypeConfiguration<ProjectRevision>
{
    public void Configure(EntityTypeBuilder<ProjectRevision> b)
    {
        b.Property(x => x.Image).HasMaxLength(ProjectLimits.Image);
        b.Property(x => x.Digest).HasMaxLength(100);
        b.Property(x => x.Template).HasMaxLength(16);
        b.HasIndex(x => new { x.ProjectId, x.Number }).IsUnique();
        b.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
