using System.Net;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Lti;

/// <summary>What an administrator sends to register a platform (the values its LTI 1.3 tool settings show).</summary>
public sealed record LtiPlatformRequest(
    string? Name, string? Issuer, string? ClientId, string? KeySetUrl, string? AuthUrl, string? AccessTokenUrl, IReadOnlyList<string>? DeploymentIds);

/// <summary>A registered platform as the API shows it.</summary>
public sealed record LtiPlatformDto(
    long Id, string Name, string Issuer, string ClientId, string KeySetUrl, string AuthUrl, string AccessTokenUrl,
    IReadOnlyList<string> DeploymentIds, DateTime CreatedAt)
{
    public static LtiPlatformDto From(LtiPlatform p) =>
        new(p.Id, p.Name, p.Issuer, p.ClientId, p.KeySetUrl, p.AuthUrl, p.AccessTokenUrl, p.Deployments, p.CreatedAt);
}

/// <summary>Administrators register, list and remove LMS platforms (issue 17, LTI 1.3).</summary>
public sealed class LtiPlatforms(ClasscloudDb db, AuditLog audit, TimeProvider time)
{
    public const int MaxDeployments = 20;

    public async Task<IReadOnlyList<LtiPlatformDto>> ListAsync(CancellationToken ct) =>
        (await db.Set<LtiPlatform>().AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct)).Select(LtiPlatformDto.From).ToList();

    public async Task<Outcome<LtiPlatformDto>> AddAsync(LtiPlatformRequest request, CancellationToken ct)
    {
        if (Validate(request).ToProblem() is { } invalid)
        {
            return invalid;
        }
        var issuer = request.Issuer!.Trim();
        var clientId = request.ClientId!.Trim();
        if (await db.Set<LtiPlatform>().AnyAsync(p => p.Issuer == issuer && p.ClientId == clientId, ct))
        {
            return Problem.Conflict("A platform with issuer {0} and client id {1} is already registered.", issuer, clientId);
        }
        var platform = new LtiPlatform
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? new Uri(issuer).Host : request.Name.Trim(),
            Issuer = issuer,
            ClientId = clientId,
            KeySetUrl = request.KeySetUrl!.Trim(),
            AuthUrl = request.AuthUrl!.Trim(),
            AccessTokenUrl = request.AccessTokenUrl!.Trim(),
            DeploymentIds = string.Join('\n', request.DeploymentIds!.Select(d => d.Trim()).Distinct(StringComparer.Ordinal)),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Add(platform);
        audit.Record("lti.platform.add", issuer, $"client {clientId}; deployments {platform.DeploymentIds.Replace('\n', ' ')}");
        await db.SaveChangesAsync(ct);
        return LtiPlatformDto.From(platform);
    }

    public async Task<Problem?> RemoveAsync(long id, CancellationToken ct)
    {
        var platform = await db.Set<LtiPlatform>().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (platform is null)
        {
            return Problem.NotFound("No such LTI platform.");
        }
        db.Remove(platform);
        audit.Record("lti.platform.remove", platform.Issuer, $"client {platform.ClientId}");
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Every field's mistakes at once (the answer names each, as the sign-up form does).</summary>
    internal static FieldErrors Validate(LtiPlatformRequest r)
    {
        var errors = new FieldErrors();
        if (r.Name is { Length: > LtiLimits.Name })
        {
            errors.Add("name", Problem.BadRequest("The name is too long."));
        }
        if (!IsIdentifier(r.Issuer) || !Uri.TryCreate(r.Issuer!.Trim(), UriKind.Absolute, out var issuer) || !IsAllowedScheme(issuer))
        {
            errors.Add("issuer", Problem.BadRequest("The issuer must be the platform's https URL, exactly as its id_tokens name it."));
        }
        if (!IsIdentifier(r.ClientId))
        {
            errors.Add("clientId", Problem.BadRequest("Give the client id the platform assigned to Classcloud."));
        }
        CheckUrl(errors, "keySetUrl", r.KeySetUrl);
        CheckUrl(errors, "authUrl", r.AuthUrl);
        CheckUrl(errors, "accessTokenUrl", r.AccessTokenUrl);
        var deployments = r.DeploymentIds ?? [];
        if (deployments.Count is 0 or > MaxDeployments || deployments.Any(d => !IsIdentifier(d)))
        {
            errors.Add("deploymentIds", Problem.BadRequest("Give 1–20 deployment ids, each without line breaks."));
        }
        return errors;
    }

    static bool IsIdentifier(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Trim().Length <= LtiLimits.Identifier && !value.Any(char.IsControl);

    static void CheckUrl(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > LtiLimits.Url
            || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) || !IsAllowedScheme(url))
        {
            errors.Add(field, Problem.BadRequest("Give an https URL (http only on this machine)."));
        }
    }

    /// <summary>Tokens and keys travel over these: https, or http to a loopback address (a platform on the same machine, and the tests).</summary>
    internal static bool IsAllowedScheme(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps
        || (url.Scheme == Uri.UriSchemeHttp && (url.IsLoopback || (IPAddress.TryParse(url.Host, out var ip) && IPAddress.IsLoopback(ip))));
}
