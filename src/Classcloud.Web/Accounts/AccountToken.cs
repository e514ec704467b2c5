namespace Classcloud.Web.Accounts;

public enum TokenPurpose
{
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
}

/// <summary>
/// A single-use, expiring token mailed to a user. Only its SHA-256 hash is stored; the token alone
/// identifies the account (API contract: POST /api/v1/auth/verify {token}).
/// </summary>
public sealed class AccountToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public TokenPurpose Purpose { get; set; }
    public string TokenHash { get; set; } = "";
    /// <summary>For ChangeEmail: the new address.</summary>
    public string? Data { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

/// <summary>A personal access token for the API and the CLI, shown once, stored hashed.</summary>
public sealed class PersonalAccessToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public string Name { get; set; } = "";
    public string TokenHash { get; set; } = "";
    /// <summary>The first characters, so a user can tell tokens apart without the secret.</summary>
    public string Prefix { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
