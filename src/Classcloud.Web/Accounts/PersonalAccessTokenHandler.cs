using System.Text.Encodings.Web;
using Classcloud.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Accounts;

/// <summary>`Authorization: Bearer ccp_…` on any route: a personal access token, looked up by its hash.</summary>
internal sealed class PersonalAccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ClasscloudDb db, IUserClaimsPrincipalFactory<User> claims, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "pat";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("Malformed token.");
        }
        var hash = SecretTokens.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.PersonalAccessTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, Context.RequestAborted);
        if (row is null || row.RevokedAt is not null || row.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == row.UserId, Context.RequestAborted);
        if (user is null || user.Status == AccountStatus.Disabled || !user.EmailConfirmed)
        {
            return AuthenticateResult.Fail("The token's account cannot sign in.");
        }
        // Record use at most once a minute: a token used in a tight loop must not write on every call.
        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            row.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }
        var principal = await claims.CreateAsync(user);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
