using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>Personal access tokens: created on My page, shown once, stored hashed, expiring, revocable.</summary>
public sealed class AccessTokenService(ClasscloudDb db, AuditLog audit, AccountValidation validate, TimeProvider time)
{
    public const string Prefix = "ccp_";

    public async Task<IReadOnlyList<TokenDto>> ListAsync(long userId, CancellationToken ct) =>
        await db.PersonalAccessTokens.AsNoTracking().Where(x => x.UserId == userId).OrderByDescending(x => x.Id)
            .Take(AccountLimits.MaxTokensPerUser)
            .Select(x => new TokenDto(x.Id, x.Name, x.Prefix, x.CreatedAt, x.ExpiresAt, x.LastUsedAt, x.RevokedAt))
            .ToListAsync(ct);

    public async Task<Outcome<CreatedTokenDto>> CreateAsync(long userId, CreateTokenRequest request, CancellationToken ct)
    {
        var problem = validate.Text(request.Name, "Token name", AccountLimits.TokenName);
        if (problem is not null)
        {
            return problem;
        }
        if (request.ExpiresInDays is < 1 or > AccountLimits.MaxTokenDays)
        {
            return Problem.BadRequest("Expiry must be between 1 and {0} days.", AccountLimits.MaxTokenDays);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var active = await db.PersonalAccessTokens.CountAsync(x => x.UserId == userId && x.RevokedAt == null && (x.ExpiresAt == null || x.ExpiresAt > now), ct);
        if (active >= AccountLimits.MaxTokensPerUser)
        {
            return Problem.Conflict("You have {0} active tokens, the most allowed. Revoke one first.", AccountLimits.MaxTokensPerUser);
        }
        var secret = SecretTokens.Create(Prefix);
        var row = new PersonalAccessToken
        {
            UserId = userId,
            Name = request.Name!.Trim(),
            TokenHash = SecretTokens.Hash(secret),
            Prefix = secret[..10],
            CreatedAt = now,
            ExpiresAt = now.AddDays(request.ExpiresInDays ?? 90),
        };
        db.PersonalAccessTokens.Add(row);
        audit.Record(AuditActions.TokenCreate, target: row.Name, detail: $"prefix {row.Prefix}");
        await db.SaveChangesAsync(ct);
        return new CreatedTokenDto(row.Id, row.Name, secret, row.ExpiresAt);
    }

    /// <summary>Revokes one of the user's tokens; another user's token id is simply not found.</summary>
    public async Task<bool> RevokeAsync(long userId, long tokenId, CancellationToken ct)
    {
        var row = await db.PersonalAccessTokens.SingleOrDefaultAsync(x => x.Id == tokenId && x.UserId == userId, ct);
        if (row is null)
        {
            return false;
        }
        if (row.RevokedAt is null)
        {
            row.RevokedAt = time.GetUtcNow().UtcDateTime;
            audit.Record(AuditActions.TokenRevoke, target: row.Name, detail: $"prefix {row.Prefix}");
            await db.SaveChangesAsync(ct);
        }
        return true;
    }
}
