using System.Globalization;
using System.Text.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Classcloud.Web.Lti;

/// <summary>What a deep-linking request asked for, carried (protected, for ten minutes) from the launch to the picker's post.</summary>
public sealed record LtiDeepLinkTicket(long PlatformId, string DeploymentId, string? ContextId, string ReturnUrl, string? Data, long UserId);

/// <summary>One course an educator teaches, with what in it can be placed in the LMS.</summary>
public sealed record LtiChoiceCourse(long Id, string Name, IReadOnlyList<(long Id, string Title)> Assignments, int Environments);

/// <summary>The signed answer and where the browser posts it.</summary>
public sealed record LtiDeepLinkAnswer(string ReturnUrl, string Jwt);

/// <summary>
/// Deep Linking 2.0: an educator picks a course of theirs, its environments or one of its assignments; Classcloud
/// answers with an <c>LtiDeepLinkingResponse</c> signed by the tool key, holding one LTI resource link whose custom
/// parameters say what it opens. The LMS course is placed on the chosen Classcloud course at the same time.
/// </summary>
public sealed class LtiDeepLinking(ClasscloudDb db, IDataProtectionProvider protection, LtiToolKeys keys, LtiCourses courses, Links links, TimeProvider time)
{
    static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(10);

    ITimeLimitedDataProtector Protector => protection.CreateProtector("Classcloud.Lti.DeepLinkTicket").ToTimeLimitedDataProtector();

    public string Protect(LtiDeepLinkTicket ticket) => Protector.Protect(JsonSerializer.Serialize(ticket), TicketLifetime);

    public LtiDeepLinkTicket? Open(string? value)
    {
        try
        {
            return string.IsNullOrEmpty(value) ? null : JsonSerializer.Deserialize<LtiDeepLinkTicket>(Protector.Unprotect(value));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // expired or altered
        }
    }

    /// <summary>A deep-linking launch by an approved educator: the protected ticket and the choices for the picker.</summary>
    public async Task<Outcome<(string Ticket, IReadOnlyList<LtiChoiceCourse> Courses)>> StartAsync(LtiLaunch launch, User user, CancellationToken ct)
    {
        if (launch.DeepLinking is not { } settings || !Uri.TryCreate(settings.ReturnUrl, UriKind.Absolute, out var back) || !LtiPlatforms.IsAllowedScheme(back))
        {
            return Problem.BadRequest("The learning platform did not say where to send the selection (deep_link_return_url).");
        }
        if (!user.IsApprovedEducator)
        {
            return Problem.Forbidden("Only approved educators can place Classcloud content in a course.");
        }
        var ticket = Protect(new LtiDeepLinkTicket(launch.Platform.Id, launch.DeploymentId, launch.ContextId, settings.ReturnUrl, settings.Data, user.Id));
        return (ticket, await ChoicesAsync(new Caller(user.Id, user.Role == AccountRole.Admin), ct));
    }

    /// <summary>The courses the person teaches (every course for an administrator), newest first.</summary>
    public async Task<IReadOnlyList<LtiChoiceCourse>> ChoicesAsync(Caller caller, CancellationToken ct)
    {
        var taught = db.CoEducators.Where(c => c.UserId == caller.UserId).Select(c => c.CourseId);
        var list = await db.Courses.AsNoTracking()
            .Where(c => c.ArchivedAt == null && (caller.IsAdmin || c.OwnerId == caller.UserId || taught.Contains(c.Id)))
            .OrderByDescending(c => c.Id).Take(100).Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        var ids = list.Select(c => c.Id).ToList();
        var assignments = await db.Assignments.AsNoTracking().Where(a => ids.Contains(a.CourseId)).OrderBy(a => a.DueAt)
            .Select(a => new { a.Id, a.CourseId, a.Title }).ToListAsync(ct);
        var environments = await db.CourseEnvironments.AsNoTracking().Where(e => ids.Contains(e.CourseId))
            .GroupBy(e => e.CourseId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return list.Select(c => new LtiChoiceCourse(c.Id, c.Name,
            assignments.Where(a => a.CourseId == c.Id).Select(a => (a.Id, a.Title)).ToList(), environments.GetValueOrDefault(c.Id))).ToList();
    }

    /// <summary>The answer for the chosen item: <c>course:{id}</c>, <c>environments:{course id}</c> or <c>assignment:{id}</c>.</summary>
    public async Task<Outcome<LtiDeepLinkAnswer>> AnswerAsync(LtiDeepLinkTicket ticket, Caller caller, string? choice, CancellationToken ct)
    {
        if (ticket.UserId != caller.UserId)
        {
            return Problem.Forbidden("This selection was started by someone else. Open the content selection in your course again.");
        }
        var platform = await db.Set<LtiPlatform>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == ticket.PlatformId, ct);
        var picked = await PickAsync(caller, choice, ct);
        if (platform is null || picked is not { } item)
        {
            return Problem.BadRequest("Pick one of your courses, environments or assignments.");
        }
        if (ticket.ContextId is { } context)
        {
            await courses.LinkAsync(platform.Id, context, item.CourseId, ct);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var contentItem = new Dictionary<string, object>
        {
            ["type"] = "ltiResourceLink",
            ["title"] = item.Title,
            ["url"] = links.To("/lti/launch"),
            ["custom"] = new Dictionary<string, object>
            {
                [LtiClaims.CourseParameter] = item.CourseId.ToString(CultureInfo.InvariantCulture),
                [LtiClaims.TargetParameter] = choice!,
            },
        };
        var claims = new Dictionary<string, object>
        {
            ["nonce"] = Guid.NewGuid().ToString("N"),
            [LtiClaims.MessageType] = "LtiDeepLinkingResponse",
            [LtiClaims.Version] = "1.3.0",
            [LtiClaims.DeploymentId] = ticket.DeploymentId,
            [LtiClaims.ContentItems] = new object[] { contentItem },
        };
        if (ticket.Data is { } data)
        {
            claims[LtiClaims.DeepLinkingData] = data;
        }
        // The tool is the issuer here, named by the client id the platform gave it (Deep Linking 2.0 §4.5).
        var jwt = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = platform.ClientId,
            Audience = platform.Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = claims,
            SigningCredentials = await keys.SigningCredentialsAsync(ct),
        });
        return new LtiDeepLinkAnswer(ticket.ReturnUrl, jwt);
    }

    async Task<(long CourseId, string Title)?> PickAsync(Caller caller, string? choice, CancellationToken ct)
    {
        if (choice?.Split(':') is not [var kind, var raw] || !long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }
        var taught = db.CoEducators.Where(c => c.UserId == caller.UserId).Select(c => c.CourseId);
        var mine = db.Courses.Where(c => caller.IsAdmin || c.OwnerId == caller.UserId || taught.Contains(c.Id));
        return kind switch
        {
            "course" or "environments" => await mine.Where(c => c.Id == id).Select(c => new { c.Id, c.Name }).SingleOrDefaultAsync(ct) is { } course
                ? (course.Id, kind == "course" ? course.Name : $"{course.Name} — environments")
                : null,
            "assignment" => await db.Assignments.Where(a => a.Id == id && mine.Any(c => c.Id == a.CourseId)).Select(a => new { a.CourseId, a.Title })
                .SingleOrDefaultAsync(ct) is { } assignment ? (assignment.CourseId, assignment.Title) : null,
            _ => null,
        };
    }
}
