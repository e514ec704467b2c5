using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Shared;

/// <summary>Who did what, when, from which address (seed 002 §2.3). Never updated, never deleted by the app.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public long? ActorId { get; set; }
    public string? ActorEmail { get; set; }
    /// <summary>A dotted name such as "signin.failure" or "user.approve" (see AuditActions).</summary>
    public string Action { get; set; } = "";
    public string? Target { get; set; }
    public string? Detail { get; set; }
    public string? IpAddress { get; set; }
}

public static class AuditActions
{
    public const string SignInSuccess = "signin.success";
    public const string SignInFailure = "signin.failure";
    public const string SignOut = "signout";
    public const string SignUp = "signup";
    public const string Verify = "email.verify";
    public const string EmailChange = "email.change";
    public const string PasswordReset = "password.reset";
    public const string PasswordChange = "password.change";
    public const string RoleChange = "user.role";
    public const string Approve = "user.approve";
    public const string Disable = "user.disable";
    public const string Enable = "user.enable";
    public const string Delete = "user.delete";
    public const string SettingsChange = "settings.change";
    public const string TokenCreate = "token.create";
    public const string TokenRevoke = "token.revoke";
    public const string ExternalLink = "signin.external-link";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.ActorEmail).HasMaxLength(256);
        b.Property(a => a.Action).HasMaxLength(64);
        b.Property(a => a.Target).HasMaxLength(256);
        b.Property(a => a.Detail).HasMaxLength(1000);
        b.Property(a => a.IpAddress).HasMaxLength(64);
        b.HasIndex(a => a.At);
        b.HasIndex(a => new { a.Action, a.At });
    }
}
