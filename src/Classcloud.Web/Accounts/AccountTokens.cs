using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Accounts;

/// <summary>Issues and redeems the single-use tokens mailed to users.</summary>
public sealed class AccountTokens(ClasscloudDb db, TimeProvider time)
{
    public static readonly TimeSpan VerifyLifetime = TimeSpan.FromHours(48);
    public static readonly TimeSpan ResetLifetime = TimeSpan.FromMinutes(60);

    /// <summary>Adds a token to the unit of work and returns the secret to mail.</summary>
    public string Issue(long userId, TokenPurpose purpose, string? data = null)
    {
        var token = SecretTokens.Create();
        var now = time.GetUtcNow().UtcDateTime;
        db.AccountTokens.Add(new AccountToken
        {
            UserId = userId,
            Purpose = purpose,
            TokenHash = SecretTokens.Hash(token),
            Data = data,
            CreatedAt = now,
            ExpiresAt = now + (purpose == TokenPurpose.ResetPassword ? ResetLifetime : VerifyLifetime),
        });
        return token;
    }

    /// <summary>
    /// Marks a valid token used and returns it; null when unknown, used, expired or of another purpose.
    /// The conditional update makes a token single-use even under concurrent redemption.
    /// </summary>
    public async Task<AccountToken?> RedeemAsync(string? token, TokenPurpose[] purposes, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return null;
        }
        var hash = SecretTokens.Hash(token.Trim());
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.AccountTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (row is null || row.UsedAt is not null || row.ExpiresAt <= now || !purposes.Contains(row.Purpose))
        {
            return null;
        }
        var updated = await db.AccountTokens.Where(t => t.Id == row.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        return updated == 1 ? row : null;
    }
}
