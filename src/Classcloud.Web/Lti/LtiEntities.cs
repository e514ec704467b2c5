using Classcloud.Web.Courses;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Lti;

/// <summary>
/// An LMS (Moodle, Canvas, Blackboard…) an administrator registered: it launches Classcloud as an LTI 1.3 tool.
/// One row per issuer and client id (a platform may register the tool twice under two client ids).
/// </summary>
public sealed class LtiPlatform
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Issuer { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>The platform's public keys (JWKS), which sign its id_tokens.</summary>
    public string KeySetUrl { get; set; } = "";
    /// <summary>The platform's OIDC authorization endpoint, where the login initiation sends the browser.</summary>
    public string AuthUrl { get; set; } = "";
    /// <summary>The platform's OAuth 2 token endpoint (for the services: roster and grades).</summary>
    public string AccessTokenUrl { get; set; } = "";
    /// <summary>The deployment ids this install accepts, one per line.</summary>
    public string DeploymentIds { get; set; } = "";
    public DateTime CreatedAt { get; set; }

    public IReadOnlyList<string> Deployments => DeploymentIds.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>The tool's own RSA signing key (one row); the private key is protected with the data-protection ring.</summary>
public sealed class LtiToolKey
{
    public long Id { get; set; }
    public string KeyId { get; set; } = "";
    public string ProtectedKey { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// One login initiation in flight: its state (stored hashed) and nonce, used once by the launch that follows.
/// Server-side, because the launch is a cross-site form post that carries no SameSite=Lax cookie.
/// </summary>
public sealed class LtiLoginState
{
    public long Id { get; set; }
    public string StateHash { get; set; } = "";
    public string Nonce { get; set; } = "";
    public long PlatformId { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>An LMS course (context) placed on a Classcloud course, made by deep linking or a teacher's first launch.</summary>
public sealed class LtiContextLink
{
    public long Id { get; set; }
    public long PlatformId { get; set; }
    public string ContextId { get; set; } = "";
    public long CourseId { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Names and Role Provisioning: the context's membership URL, from the latest launch that named it.</summary>
    public string? MembershipsUrl { get; set; }
    /// <summary>Assignment and Grade Services: the context's line items URL, from the latest launch that named it.</summary>
    public string? LineItemsUrl { get; set; }
}

internal static class LtiLimits
{
    public const int Name = 100;
    public const int Url = 500;
    public const int Identifier = 255;
    public const int Deployments = 2000;
    public const int Hash = 64;
    public const int Key = 4000;
}

internal sealed class LtiPlatformConfiguration : IEntityTypeConfiguration<LtiPlatform>
{
    public void Configure(EntityTypeBuilder<LtiPlatform> b)
    {
        b.ToTable("LtiPlatforms");
        b.Property(p => p.Name).HasMaxLength(LtiLimits.Name);
        b.Property(p => p.Issuer).HasMaxLength(LtiLimits.Url);
        b.Property(p => p.ClientId).HasMaxLength(LtiLimits.Identifier);
        b.Property(p => p.KeySetUrl).HasMaxLength(LtiLimits.Url);
        b.Property(p => p.AuthUrl).HasMaxLength(LtiLimits.Url);
        b.Property(p => p.AccessTokenUrl).HasMaxLength(LtiLimits.Url);
        b.Property(p => p.DeploymentIds).HasMaxLength(LtiLimits.Deployments);
        b.Ignore(p => p.Deployments);
        b.HasIndex(p => new { p.Issuer, p.ClientId }).IsUnique();
    }
}

internal sealed class LtiToolKeyConfiguration : IEntityTypeConfiguration<LtiToolKey>
{
    public void Configure(EntityTypeBuilder<LtiToolKey> b)
    {
        b.ToTable("LtiToolKeys");
        b.Property(k => k.Id).ValueGeneratedNever();
        b.Property(k => k.KeyId).HasMaxLength(LtiLimits.Hash);
        b.Property(k => k.ProtectedKey).HasMaxLength(LtiLimits.Key);
    }
}

internal sealed class LtiLoginStateConfiguration : IEntityTypeConfiguration<LtiLoginState>
{
    public void Configure(EntityTypeBuilder<LtiLoginState> b)
    {
        b.ToTable("LtiLoginStates");
        b.Property(s => s.StateHash).HasMaxLength(LtiLimits.Hash);
        b.Property(s => s.Nonce).HasMaxLength(LtiLimits.Hash);
        b.HasIndex(s => s.StateHash).IsUnique();
        b.HasIndex(s => s.ExpiresAt);
        b.HasOne<LtiPlatform>().WithMany().HasForeignKey(s => s.PlatformId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LtiContextLinkConfiguration : IEntityTypeConfiguration<LtiContextLink>
{
    public void Configure(EntityTypeBuilder<LtiContextLink> b)
    {
        b.ToTable("LtiContextLinks");
        b.Property(l => l.ContextId).HasMaxLength(LtiLimits.Identifier);
        b.Property(l => l.MembershipsUrl).HasMaxLength(LtiLimits.Url);
        b.Property(l => l.LineItemsUrl).HasMaxLength(LtiLimits.Url);
        b.HasIndex(l => new { l.PlatformId, l.ContextId }).IsUnique();
        b.HasIndex(l => l.CourseId);
        b.HasOne<LtiPlatform>().WithMany().HasForeignKey(l => l.PlatformId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Course>().WithMany().HasForeignKey(l => l.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}
