namespace Classcloud.Web.Accounts;

public sealed record RegisterRequest(string? Email, string? Password, string? Name, string? Nickname, string? Role);
public sealed record TokenRequest(string? Token);
public sealed record LoginRequest(string? Email, string? Password, bool RememberMe = false);
public sealed record EmailRequest(string? Email);
public sealed record ForgotIdRequest(string? Name, string? Email);
public sealed record ResetPasswordRequest(string? Token, string? Password);
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
public sealed record UpdateProfileRequest(string? Nickname, string? Email, string? Culture);
public sealed record DeleteAccountRequest(string? Password, bool Confirm);
public sealed record CreateTokenRequest(string? Name, int? ExpiresInDays);

public sealed record MeDto(long Id, string Email, string Name, string Nickname, string Role, string Status, string? Culture, DateTime CreatedAt)
{
    public static MeDto From(User u) =>
        new(u.Id, u.Email ?? "", u.Name, u.Nickname, u.Role.ToString().ToLowerInvariant(), u.ApiStatus, u.Culture, u.CreatedAt);
}

public sealed record TokenDto(long Id, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt);

public sealed record CreatedTokenDto(long Id, string Name, string Token, DateTime? ExpiresAt);
