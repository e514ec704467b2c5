using Microsoft.AspNetCore.Identity;

namespace Classcloud.Web.Accounts;

public enum AccountRole
{
    Student,
    Educator,
    Admin,
}

/// <summary>Pending: an educator waiting for approval (seed 000 §3.2.4, §3.5.7). Disabled: by an administrator.</summary>
public enum AccountStatus
{
    Active,
    Pending,
    Disabled,
}

/// <summary>
/// A person. The e-mail is the sign-in ID (seed 000 MEM01); name is fixed after sign-up (MEM03),
/// nickname and e-mail can change (the new e-mail is verified first).
/// </summary>
public sealed class User : IdentityUser<long>
{
    public string Name { get; set; } = "";
    public string Nickname { get; set; } = "";
    public AccountRole Role { get; set; }
    public AccountStatus Status { get; set; }
    /// <summary>"en" or "ko"; null follows the browser.</summary>
    public string? Culture { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>An educator whose account an administrator approved (or an administrator).</summary>
    public bool IsApprovedEducator => Status == AccountStatus.Active && Role is AccountRole.Educator or AccountRole.Admin;

    /// <summary>The status the API reports: unverified until the e-mail is confirmed.</summary>
    public string ApiStatus => !EmailConfirmed ? "unverified" : Status.ToString().ToLowerInvariant();
}
