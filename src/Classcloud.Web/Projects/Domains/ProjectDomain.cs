using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Projects.Domains;

/// <summary>
/// A custom domain of a project (issue 14: "optional custom domains, verified before they route"). It routes, and
/// Caddy may ask for its certificate, only once <see cref="VerifiedAt"/> is set: the owner of the domain proved it
/// by publishing <see cref="Token"/> in a TXT record at <c>_classcloud.&lt;host&gt;</c>.
/// </summary>
public sealed class ProjectDomain
{
    public long Id { get; set; }

    public long ProjectId { get; set; }

    /// <summary>Lower case, without a trailing dot; unique over every project.</summary>
    public string Host { get; set; } = "";

    public string Token { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime? VerifiedAt { get; set; }
}

internal sealed class ProjectDomainConfiguration : IEntityTypeConfiguration<ProjectDomain>
{
    public void Configure(EntityTypeBuilder<ProjectDomain> b)
    {
        b.Property(x => x.Host).HasMaxLength(DomainRules.MaxHost);
        b.Property(x => x.Token).HasMaxLength(64);
        b.HasIndex(x => x.Host).IsUnique();
        b.HasIndex(x => x.ProjectId);
        b.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>A custom domain as its project's managers see it: where to put the token, and whether it routes.</summary>
public sealed record DomainDto(string Domain, bool Verified, string RecordName, string RecordValue, DateTime CreatedAt, DateTime? VerifiedAt);

public sealed record DomainRequest(string? Domain);
