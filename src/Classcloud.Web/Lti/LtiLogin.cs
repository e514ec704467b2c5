using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Lti;

/// <summary>The parameters of a third-party initiated login (LTI Security Framework §5.1.1.1).</summary>
public sealed record LtiLoginRequest(
    string? Iss, string? LoginHint, string? TargetLinkUri, string? LtiMessageHint, string? ClientId, string? DeploymentId);

/// <summary>
/// The first leg of a launch: the platform names itself and the user; Classcloud answers with a redirect to the
/// platform's authorization endpoint carrying a fresh state and nonce. Both are kept server-side (hashed state,
/// used once), and the state is also set in a cookie of this browser, so a launch started by someone else's
/// browser (login CSRF) cannot be finished in this one.
/// </summary>
public sealed class LtiLogin(ClasscloudDb db, Links links, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public const string CookiePrefix = "classcloud.lti.";

    public sealed record Started(string RedirectUrl, string State);

    public async Task<Outcome<Started>> StartAsync(LtiLoginRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Iss) || string.IsNullOrWhiteSpace(request.LoginHint) || string.IsNullOrWhiteSpace(request.TargetLinkUri))
        {
            return Problem.BadRequest("This address starts a launch from a learning platform (LTI 1.3); open Classcloud's link in your course instead.");
        }
        var candidates = await db.Set<LtiPlatform>().AsNoTracking()
            .Where(p => p.Issuer == request.Iss && (request.ClientId == null || p.ClientId == request.ClientId)).ToListAsync(ct);
        if (candidates.Count != 1)
        {
            return candidates.Count == 0
                ? Problem.NotFound("The learning platform {0} is not registered in Classcloud. Ask an administrator to register it.", request.Iss)
                : Problem.BadRequest("Several registrations of {0} exist; the platform must send its client id.", request.Iss);
        }
        var platform = candidates[0];
        if (request.DeploymentId is { } deployment && !platform.Deployments.Contains(deployment))
        {
            return Problem.Forbidden("Deployment {0} of {1} is not registered in Classcloud. Ask an administrator to add it.", deployment, platform.Name);
        }
        var now = time.GetUtcNow().UtcDateTime;
        // Old unused states go here rather than in a background job: a login is the only thing that makes them.
        await db.Set<LtiLoginState>().Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var state = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        db.Add(new LtiLoginState { StateHash = Hash(state), Nonce = nonce, PlatformId = platform.Id, ExpiresAt = now + Lifetime });
        await db.SaveChangesAsync(ct);
        var query = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["scope"] = "openid",
            ["response_type"] = "id_token",
            ["response_mode"] = "form_post",
            ["prompt"] = "none",
            ["client_id"] = platform.ClientId,
            ["redirect_uri"] = links.To("/lti/launch"),
            ["login_hint"] = request.LoginHint,
            ["state"] = state,
            ["nonce"] = nonce,
        };
        if (!string.IsNullOrEmpty(request.LtiMessageHint))
        {
            query["lti_message_hint"] = request.LtiMessageHint;
        }
        return new Started(QueryHelpers.AddQueryString(platform.AuthUrl, query), state);
    }

    /// <summary>Takes the state of a launch once: its platform and nonce, or null when unknown, expired or already used.</summary>
    public async Task<(LtiPlatform Platform, string Nonce)?> ConsumeAsync(string state, CancellationToken ct)
    {
        var hash = Hash(state);
        var row = await db.Set<LtiLoginState>().AsNoTracking().SingleOrDefaultAsync(s => s.StateHash == hash, ct);
        // The delete decides between two posts of the same state: only the one that removed the row goes on.
        if (row is null || await db.Set<LtiLoginState>().Where(s => s.Id == row.Id).ExecuteDeleteAsync(ct) == 0
            || row.ExpiresAt < time.GetUtcNow().UtcDateTime)
        {
            return null;
        }
        var platform = await db.Set<LtiPlatform>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == row.PlatformId, ct);
        return platform is null ? null : (platform, row.Nonce);
    }

    /// <summary>The cookie that ties a state to the browser that started the login (one per state: two tabs may launch at once).</summary>
    public static string CookieName(string state) => CookiePrefix + Hash(state)[..16];

    static string Hash(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));
}
